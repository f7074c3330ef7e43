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
    public var filledQty: Double?
    public var avgPrice: Double?
    public var analysis: AnalysisReport?
    public var risk: RiskVerdict?
    /// Time from receiving the signal to deciding, in microseconds.
    public var latencyUs: Int64

    enum CodingKeys: String, CodingKey {
        case signalId = "signal_id", symbol, side, outcome, reason, stage, orderId = "order_id"
        case filledQty = "filled_qty", avgPrice = "avg_price", analysis, risk, latencyUs = "latency_us"
    }

    /// Creates a decision.
    public init(signalId: String, symbol: String, side: Side, outcome: DecisionOutcome, reason: String, stage: String,
                orderId: String? = nil, filledQty: Double? = nil, avgPrice: Double? = nil,
                analysis: AnalysisReport? = nil, risk: RiskVerdict? = nil, latencyUs: Int64) {
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
        self.latencyUs = latencyUs
    }
}
