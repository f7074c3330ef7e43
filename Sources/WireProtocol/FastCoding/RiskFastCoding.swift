import WireFormat
import Trading

// Hand-written JSON forms of the RiskManager's verdict and plan, the reply to every `assess`
// (and part of every decision).

extension RiskVerdict: FastWireCodable {
    /// A director writes the verdict it got again, whole, in its records and its decision.
    @inlinable
    package static var keepsReceivedJSON: Bool { true }

    public static let fastJSON: FastJSONForm<RiskVerdict>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(RiskVerdict.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(RiskVerdict.self, from: message) })

    private static let keys = JSONKeyTable("account_version", "allowed", "approved", "limit", "notional", "observed", "plan", "price",
                                           "qty", "reason", "side", "symbol")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        if let accountVersion { object.integer("account_version", accountVersion) }
        try object.optionalDouble("allowed", allowed)
        object.bool("approved", approved)
        object.optionalString("limit", limit)
        object.decimal("notional", notional)
        try object.optionalDouble("observed", observed)
        try object.optionalValue("plan", plan)
        object.decimal("price", price)
        object.decimal("qty", qty)
        object.string("reason", reason)
        object.rawValue("side", side)
        object.string("symbol", symbol)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var allowed: Double?, approved: Bool?, limit: String?, notional: WireDecimal?, observed: Double?, plan: RiskPlanPayload?
        var price: WireDecimal?, qty: WireDecimal?, reason: String?, side: Side?, symbol: String?, accountVersion: UInt64?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: accountVersion = try value.optionalInteger()
            case 1: allowed = try value.optionalDouble()
            case 2: approved = try value.bool()
            case 3: limit = try value.optionalRecurringString()
            case 4: notional = try value.decimal()
            case 5: observed = try value.optionalDouble()
            case 6: plan = try value.optionalValue()
            case 7: price = try value.decimal()
            case 8: qty = try value.decimal()
            case 9: reason = try value.string()
            case 10: side = try value.wireEnum()
            default: symbol = try value.recurringString()
            }
        }
        guard let approved, let notional, let price, let qty, let reason, let side, let symbol else { throw FastPathDeclined() }
        self.init(symbol: symbol, side: side, approved: approved, qty: qty, price: price, notional: notional, reason: reason,
                  limit: limit, observed: observed, allowed: allowed, plan: plan, accountVersion: accountVersion)
    }
}

extension PlanTargetPayload: FastWireCodable {
    private static let keys = JSONKeyTable("fraction", "price", "qty", "risk_reward")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.double("fraction", fraction)
        object.decimal("price", price)
        object.decimal("qty", qty)
        try object.double("risk_reward", riskReward)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var fraction: Double?, price: WireDecimal?, qty: WireDecimal?, riskReward: Double?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: fraction = try value.double()
            case 1: price = try value.decimal()
            case 2: qty = try value.decimal()
            default: riskReward = try value.double()
            }
        }
        guard let fraction, let price, let qty, let riskReward else { throw FastPathDeclined() }
        self.init(riskReward: riskReward, fraction: fraction, price: price, qty: qty)
    }
}

extension RiskPlanPayload: FastWireCodable {
    private static let keys = JSONKeyTable("assumed_stops", "capital", "exposure_after", "heat_after", "leverage", "margin",
                                           "margin_usage_after", "risk_amount", "risk_pct", "sized_by", "stop_price", "targets",
                                           "warnings")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.strings("assumed_stops", assumedStops)
        object.decimal("capital", capital)
        try object.double("exposure_after", exposureAfter)
        try object.double("heat_after", heatAfter)
        object.integer("leverage", leverage)
        object.decimal("margin", margin)
        try object.double("margin_usage_after", marginUsageAfter)
        object.decimal("risk_amount", riskAmount)
        try object.double("risk_pct", riskPct)
        object.string("sized_by", sizedBy)
        object.decimal("stop_price", stopPrice)
        try object.array("targets", targets)
        object.strings("warnings", warnings)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var assumedStops: [String]?, capital: WireDecimal?, exposureAfter: Double?, heatAfter: Double?, leverage: Int?
        var margin: WireDecimal?, marginUsageAfter: Double?, riskAmount: WireDecimal?, riskPct: Double?, sizedBy: String?
        var stopPrice: WireDecimal?, targets: [PlanTargetPayload]?, warnings: [String]?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: assumedStops = try value.strings()
            case 1: capital = try value.decimal()
            case 2: exposureAfter = try value.double()
            case 3: heatAfter = try value.double()
            case 4: leverage = try value.integer()
            case 5: margin = try value.decimal()
            case 6: marginUsageAfter = try value.double()
            case 7: riskAmount = try value.decimal()
            case 8: riskPct = try value.double()
            case 9: sizedBy = try value.recurringString()
            case 10: stopPrice = try value.decimal()
            case 11: targets = try value.array(of: PlanTargetPayload.self)
            default: warnings = try value.strings()
            }
        }
        guard let assumedStops, let capital, let exposureAfter, let heatAfter, let leverage, let margin, let marginUsageAfter,
              let riskAmount, let riskPct, let sizedBy, let stopPrice, let targets, let warnings else { throw FastPathDeclined() }
        self.init(stopPrice: stopPrice, targets: targets, leverage: leverage, riskAmount: riskAmount, riskPct: riskPct, sizedBy: sizedBy,
                  margin: margin, capital: capital, exposureAfter: exposureAfter, heatAfter: heatAfter,
                  marginUsageAfter: marginUsageAfter, warnings: warnings, assumedStops: assumedStops)
    }

    /// Every field as read from the wire.
    init(stopPrice: WireDecimal, targets: [PlanTargetPayload], leverage: Int, riskAmount: WireDecimal, riskPct: Double, sizedBy: String,
         margin: WireDecimal, capital: WireDecimal, exposureAfter: Double, heatAfter: Double, marginUsageAfter: Double,
         warnings: [String], assumedStops: [String]) {
        self.stopPrice = stopPrice
        self.targets = targets
        self.leverage = leverage
        self.riskAmount = riskAmount
        self.riskPct = riskPct
        self.sizedBy = sizedBy
        self.margin = margin
        self.capital = capital
        self.exposureAfter = exposureAfter
        self.heatAfter = heatAfter
        self.marginUsageAfter = marginUsageAfter
        self.warnings = warnings
        self.assumedStops = assumedStops
    }
}
