import WireFormat
import Trading

/// How a signal's cycle ended.
public enum DecisionOutcome: String, Codable, Sendable, Hashable {
    /// An order was placed and (at least partly) filled.
    case filled
    /// A business rule said no (analysis contradiction, risk limit, venue rejection).
    case rejected
    /// The cycle could not complete (timeout, unreachable agent, malformed reply).
    case failed
}

/// `decision`: the TradingDirector's single conclusion for one signal, on `decision.<symbol>`,
/// carrying enough of the chain that the one event explains the outcome.
public struct DecisionPayload: MessagePayload, Hashable {
    public var signalId: String
    public var symbol: String
    public var side: Side
    public var outcome: DecisionOutcome
    /// Why, in a sentence with the numbers that decided it.
    public var reason: String
    /// The step the cycle ended at: `analyze`, `assess`, `execute` or `done`.
    public var stage: String
    public var orderId: String?
    public var filledQty: WireDecimal?
    public var avgPrice: WireDecimal?
    public var analysis: AnalysisReport?
    public var risk: RiskVerdict?
    /// The venue's fills of the order.
    public var fills: [FillPayload]?
    /// Set on the decision of an exit cycle: which position, why, and what is left.
    public var exit: ExitPayload?
    /// Time from the signal's timestamp (an exit: from its start) to the decision, in µs,
    /// queue time included.
    public var latencyUs: Int64
    /// How long the signal waited in its symbol's queue before its cycle started, in µs.
    public var queuedUs: Int64?

    enum CodingKeys: String, CodingKey {
        case signalId = "signal_id", symbol, side, outcome, reason, stage, orderId = "order_id"
        case filledQty = "filled_qty", avgPrice = "avg_price", analysis, risk, fills, exit, latencyUs = "latency_us"
        case queuedUs = "queued_us"
    }

    /// Creates a decision.
    public init(signalId: String, symbol: String, side: Side, outcome: DecisionOutcome, reason: String, stage: String,
                orderId: String? = nil, filledQty: WireDecimal? = nil, avgPrice: WireDecimal? = nil,
                analysis: AnalysisReport? = nil, risk: RiskVerdict? = nil, fills: [FillPayload]? = nil,
                exit: ExitPayload? = nil, latencyUs: Int64, queuedUs: Int64? = nil) {
        self.signalId = signalId
        self.symbol = symbol
        self.side = side
        self.outcome = outcome
        self.reason = reason
        self.stage = stage
        self.orderId = orderId
        self.filledQty = filledQty
        self.avgPrice = avgPrice
        self.analysis = analysis
        self.risk = risk
        self.fills = fills
        self.exit = exit
        self.latencyUs = latencyUs
        self.queuedUs = queuedUs
    }
}

/// `exit.<symbol>`: the TradingDirector closing all or part of a position it opened. The
/// event starts the exit's own trace; its `parent_id` is the opening signal's id.
public struct ExitPayload: MessagePayload, Hashable {
    /// The signal that opened the position.
    public var openingSignalId: String
    /// The trace of that signal's cycle.
    public var openingTraceId: String
    public var symbol: String
    /// `stop_loss`, `take_profit` or `time_stop`.
    public var reason: String
    /// Side of the closing order.
    public var side: Side
    /// Base units to close.
    public var qty: WireDecimal
    /// The stop, the target, or for a time stop the observed price.
    public var triggerPrice: WireDecimal
    /// The price that set it off.
    public var observedPrice: WireDecimal
    /// Which take-profit target (0 = nearest), for a take-profit.
    public var targetIndex: Int?
    /// Base units still open once this exit is done.
    public var remainingAfter: WireDecimal

    enum CodingKeys: String, CodingKey {
        case openingSignalId = "opening_signal_id", openingTraceId = "opening_trace_id", symbol, reason, side, qty
        case triggerPrice = "trigger_price", observedPrice = "observed_price", targetIndex = "target_index"
        case remainingAfter = "remaining_after"
    }

    /// Creates an exit.
    public init(openingSignalId: String, openingTraceId: String, symbol: String, reason: String, side: Side, qty: WireDecimal,
                triggerPrice: WireDecimal, observedPrice: WireDecimal, targetIndex: Int?, remainingAfter: WireDecimal) {
        self.openingSignalId = openingSignalId
        self.openingTraceId = openingTraceId
        self.symbol = symbol
        self.reason = reason
        self.side = side
        self.qty = qty
        self.triggerPrice = triggerPrice
        self.observedPrice = observedPrice
        self.targetIndex = targetIndex
        self.remainingAfter = remainingAfter
    }

    public func validate() throws(ProtocolError) {
        try Check.name(symbol, "payload.symbol")
        try Check.positive(qty, "payload.qty")
        try Check.nonNegative(remainingAfter, "payload.remaining_after")
    }
}
