import WireFormat
import Trading

// Hand-written JSON forms of the director's decision, published once per signal, and of the
// exit it may carry.

extension DecisionPayload: FastWireCodable {
    public static let fastJSON: FastJSONForm<DecisionPayload>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(DecisionPayload.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(DecisionPayload.self, from: message) })

    private static let keys = JSONKeyTable("analysis", "avg_price", "exit", "filled_qty", "fills", "latency_us", "order_id", "outcome",
                                           "queued_us", "reason", "risk", "side", "signal_id", "stage", "symbol")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        try writeFastJSON(to: out, writtenAnalysis: nil, writtenRisk: nil)
    }

    /// The decision's form, with its `analysis` and `risk` taken as the bytes their own forms
    /// wrote already (the director's execution step holds both), where given, rather than
    /// written again. Each must be what `writeFastJSON(to:)` writes for the decision's own value.
    package func writeFastJSON(to out: ByteBuffer, writtenAnalysis: UnsafeRawBufferPointer?,
                               writtenRisk: UnsafeRawBufferPointer?) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        if let writtenAnalysis, analysis != nil { object.written("analysis", writtenAnalysis) } else { try object.optionalValue("analysis", analysis) }
        object.optionalDecimal("avg_price", avgPrice)
        try object.optionalValue("exit", exit)
        object.optionalDecimal("filled_qty", filledQty)
        try object.optionalArray("fills", fills)
        object.integer("latency_us", latencyUs)
        object.optionalString("order_id", orderId)
        object.rawValue("outcome", outcome)
        if let queuedUs { object.integer("queued_us", queuedUs) }
        object.string("reason", reason)
        if let writtenRisk, risk != nil { object.written("risk", writtenRisk) } else { try object.optionalValue("risk", risk) }
        object.rawValue("side", side)
        object.string("signal_id", signalId)
        object.string("stage", stage)
        object.string("symbol", symbol)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var analysis: AnalysisReport?, avgPrice: WireDecimal?, exit: ExitPayload?, filledQty: WireDecimal?, fills: [FillPayload]?
        var latencyUs: Int64?, orderId: String?, outcome: DecisionOutcome?, queuedUs: Int64?, reason: String?, risk: RiskVerdict?
        var side: Side?, signalId: String?, stage: String?, symbol: String?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: analysis = try value.optionalValue()
            case 1: avgPrice = try value.optionalDecimal()
            case 2: exit = try value.optionalValue()
            case 3: filledQty = try value.optionalDecimal()
            case 4: fills = try value.optionalArray(of: FillPayload.self)
            case 5: latencyUs = try value.integer()
            case 6: orderId = try value.optionalString()
            case 7: outcome = try value.wireEnum()
            case 8: queuedUs = try value.optionalInteger()
            case 9: reason = try value.string()
            case 10: risk = try value.optionalValue()
            case 11: side = try value.wireEnum()
            case 12: signalId = try value.string()
            case 13: stage = try value.recurringString()
            default: symbol = try value.recurringString()
            }
        }
        guard let latencyUs, let outcome, let reason, let side, let signalId, let stage, let symbol else { throw FastPathDeclined() }
        self.init(signalId: signalId, symbol: symbol, side: side, outcome: outcome, reason: reason, stage: stage, orderId: orderId,
                  filledQty: filledQty, avgPrice: avgPrice, analysis: analysis, risk: risk, fills: fills, exit: exit,
                  latencyUs: latencyUs, queuedUs: queuedUs)
    }
}

extension ExitPayload: FastWireCodable {
    private static let keys = JSONKeyTable("observed_price", "opening_signal_id", "opening_trace_id", "qty", "reason",
                                           "remaining_after", "side", "symbol", "target_index", "trigger_price")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.decimal("observed_price", observedPrice)
        object.string("opening_signal_id", openingSignalId)
        object.string("opening_trace_id", openingTraceId)
        object.decimal("qty", qty)
        object.string("reason", reason)
        object.decimal("remaining_after", remainingAfter)
        object.rawValue("side", side)
        object.string("symbol", symbol)
        if let targetIndex { object.integer("target_index", targetIndex) }
        object.decimal("trigger_price", triggerPrice)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var observedPrice: WireDecimal?, openingSignalId: String?, openingTraceId: String?, qty: WireDecimal?, reason: String?
        var remainingAfter: WireDecimal?, side: Side?, symbol: String?, targetIndex: Int?, triggerPrice: WireDecimal?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: observedPrice = try value.decimal()
            case 1: openingSignalId = try value.string()
            case 2: openingTraceId = try value.string()
            case 3: qty = try value.decimal()
            case 4: reason = try value.string()
            case 5: remainingAfter = try value.decimal()
            case 6: side = try value.wireEnum()
            case 7: symbol = try value.recurringString()
            case 8: targetIndex = try value.optionalInteger()
            default: triggerPrice = try value.decimal()
            }
        }
        guard let observedPrice, let openingSignalId, let openingTraceId, let qty, let reason, let remainingAfter, let side, let symbol,
              let triggerPrice else { throw FastPathDeclined() }
        self.init(openingSignalId: openingSignalId, openingTraceId: openingTraceId, symbol: symbol, reason: reason, side: side, qty: qty,
                  triggerPrice: triggerPrice, observedPrice: observedPrice, targetIndex: targetIndex, remainingAfter: remainingAfter)
    }
}
