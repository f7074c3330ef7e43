import WireFormat
import Trading

// Hand-written JSON forms of a cycle's analysis and assessment requests and of the analysis
// report, which the assess request and the decision carry on.

extension AnalyzeRequest: FastWireCodable {
    public static let fastJSON: FastJSONForm<AnalyzeRequest>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(AnalyzeRequest.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(AnalyzeRequest.self, from: message) })

    private static let keys = JSONKeyTable("side", "symbol")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.rawValue("side", side)
        object.string("symbol", symbol)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var side: Side?, symbol: String?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: side = try value.wireEnum()
            default: symbol = try value.recurringString()
            }
        }
        guard let side, let symbol else { throw FastPathDeclined() }
        self.init(symbol: symbol, side: side)
    }
}

extension KeyLevelsPayload: FastWireCodable {
    private static let keys = JSONKeyTable("resistance", "support")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.double("resistance", resistance)
        try object.double("support", support)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var resistance: Double?, support: Double?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: resistance = try value.double()
            default: support = try value.double()
            }
        }
        guard let resistance, let support else { throw FastPathDeclined() }
        self.init(support: support, resistance: resistance)
    }
}

extension AnalysisReport: FastWireCodable {
    /// A director writes the analysis it got again, whole, in its `assess` request and its records.
    @inlinable
    package static var keepsReceivedJSON: Bool { true }

    public static let fastJSON: FastJSONForm<AnalysisReport>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(AnalysisReport.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(AnalysisReport.self, from: message) })

    private static let keys = JSONKeyTable("atr", "confidence", "direction", "fast_ema", "holds_until_tick", "key_levels",
                                           "last_price", "momentum_z", "rsi", "sample_count", "slow_ema", "symbol",
                                           "technical_score", "thesis", "trend_strength", "volatility")

    /// Reports written lately, with their bytes: an analyst writes the same report for every
    /// request of a symbol between two of its ticks (`WrittenLately`). Room for the reports of
    /// 16 symbols.
    static let writtenLately = WrittenLately<AnalysisReport>(capacity: 16)

    /// Writes the report, or the bytes written lately for one that writes alike.
    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        try Self.writtenLately.write(self, to: out, alike: { $0.writesAlike($1) }) { out throws(FastPathDeclined) in
            try writeMembers(to: out)
        }
    }

    /// Whether `other` is written as this report is, byte for byte: every string the same
    /// UTF-8 and every number the same bits (`==` takes 0.0 for −0.0, written apart).
    func writesAlike(_ other: AnalysisReport) -> Bool {
        func same(_ a: Double?, _ b: Double?) -> Bool { a?.bitPattern == b?.bitPattern }
        return sampleCount == other.sampleCount && direction == other.direction && same(confidence, other.confidence)
            && same(technicalScore, other.technicalScore) && same(trendStrength, other.trendStrength) && same(lastPrice, other.lastPrice)
            && same(fastEma, other.fastEma) && same(slowEma, other.slowEma) && same(rsi, other.rsi) && same(atr, other.atr)
            && same(momentumZ, other.momentumZ) && same(volatility, other.volatility)
            && same(keyLevels?.support, other.keyLevels?.support) && same(keyLevels?.resistance, other.keyLevels?.resistance)
            && holdsUntilTick == other.holdsUntilTick && symbol.hasSameUTF8(as: other.symbol) && thesis.hasSameUTF8(as: other.thesis)
    }

    /// Writes the report member by member.
    private func writeMembers(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.optionalDouble("atr", atr)
        try object.double("confidence", confidence)
        object.rawValue("direction", direction)
        try object.optionalDouble("fast_ema", fastEma)
        if let holdsUntilTick { object.bool("holds_until_tick", holdsUntilTick) }
        try object.optionalValue("key_levels", keyLevels)
        try object.optionalDouble("last_price", lastPrice)
        try object.optionalDouble("momentum_z", momentumZ)
        try object.optionalDouble("rsi", rsi)
        object.integer("sample_count", sampleCount)
        try object.optionalDouble("slow_ema", slowEma)
        object.string("symbol", symbol)
        try object.double("technical_score", technicalScore)
        object.string("thesis", thesis)
        try object.double("trend_strength", trendStrength)
        try object.optionalDouble("volatility", volatility)
        object.close()
    }

    /// Reports read lately, by their bytes: between two ticks of a symbol the analyst answers
    /// every request with the same report, so a director reads the same bytes in reply after
    /// reply, and a RiskManager in `assess` after `assess` (`RememberedValues`). Room for the
    /// reports of 16 symbols.
    static let readLately = RememberedValues<AnalysisReport>(capacity: 16)

    /// Reads a report, or takes the one read from the same bytes lately.
    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        self = try value.remembered(in: Self.readLately) { value throws(FastPathDeclined) in try Self(readingFastJSON: value) }
    }

    /// Reads a report member by member.
    private init(readingFastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var atr: Double?, confidence: Double?, direction: Direction?, fastEma: Double?, keyLevels: KeyLevelsPayload?
        var lastPrice: Double?, momentumZ: Double?, rsi: Double?, sampleCount: Int?, slowEma: Double?, symbol: String?
        var technicalScore: Double?, thesis: String?, trendStrength: Double?, volatility: Double?, holdsUntilTick: Bool?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: atr = try value.optionalDouble()
            case 1: confidence = try value.double()
            case 2: direction = try value.wireEnum()
            case 3: fastEma = try value.optionalDouble()
            case 4: holdsUntilTick = try value.optionalBool()
            case 5: keyLevels = try value.optionalValue()
            case 6: lastPrice = try value.optionalDouble()
            case 7: momentumZ = try value.optionalDouble()
            case 8: rsi = try value.optionalDouble()
            case 9: sampleCount = try value.integer()
            case 10: slowEma = try value.optionalDouble()
            case 11: symbol = try value.recurringString()
            case 12: technicalScore = try value.double()
            case 13: thesis = try value.string()
            case 14: trendStrength = try value.double()
            default: volatility = try value.optionalDouble()
            }
        }
        guard let confidence, let direction, let sampleCount, let symbol, let technicalScore, let thesis, let trendStrength
        else { throw FastPathDeclined() }
        self.init(symbol: symbol, direction: direction, confidence: confidence, technicalScore: technicalScore,
                  trendStrength: trendStrength, sampleCount: sampleCount, fastEma: fastEma, slowEma: slowEma, rsi: rsi, atr: atr,
                  momentumZ: momentumZ, volatility: volatility, keyLevels: keyLevels, lastPrice: lastPrice, thesis: thesis,
                  holdsUntilTick: holdsUntilTick)
    }
}

extension AssessRequest: FastWireCodable {
    public static let fastJSON: FastJSONForm<AssessRequest>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(AssessRequest.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(AssessRequest.self, from: message) })

    private static let keys = JSONKeyTable("account", "after_order", "after_version", "analysis", "side", "signal_confidence", "symbol",
                                           "venue_epoch")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.string("account", account)
        object.optionalString("after_order", afterOrder)
        if let afterVersion { object.integer("after_version", afterVersion) }
        if let json = writtenAnalysis.json {
            json.withUnsafeBytes { object.written("analysis", $0) }
        } else {
            try object.value("analysis", analysis)
        }
        object.rawValue("side", side)
        try object.double("signal_confidence", signalConfidence)
        object.string("symbol", symbol)
        object.optionalString("venue_epoch", venueEpoch)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var account: String?, afterVersion: UInt64?, analysis: AnalysisReport?, side: Side?, signalConfidence: Double?, symbol: String?
        var venueEpoch: String?, afterOrder: String?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: account = try value.recurringString()
            case 1: afterOrder = try value.optionalString()
            case 2: afterVersion = try value.optionalInteger()
            case 3: analysis = try value.value()
            case 4: side = try value.wireEnum()
            case 5: signalConfidence = try value.double()
            case 6: symbol = try value.recurringString()
            default: venueEpoch = try value.optionalRecurringString()
            }
        }
        guard let account, let analysis, let side, let signalConfidence, let symbol else { throw FastPathDeclined() }
        self.init(symbol: symbol, side: side, account: account, signalConfidence: signalConfidence, analysis: analysis,
                  afterVersion: afterVersion, venueEpoch: venueEpoch, afterOrder: afterOrder)
    }
}
