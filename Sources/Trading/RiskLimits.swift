/// The RiskManager's limits for sizing and vetting one trade.
public struct RiskLimits: Sendable, Hashable, Codable {
    /// Signals below this confidence are refused.
    public var minConfidence: Double
    /// Fraction of account value one order may use.
    public var orderSizePct: Double
    /// Fraction of account value the base inventory may be worth.
    public var maxInventoryExposurePct: Double
    /// An analysis pointing the other way with at least this confidence vetoes the trade.
    public var maxContradictionConfidence: Double
    /// Fee assumed when capping a buy by the quote on hand, in bps of notional; matches
    /// the venue's default taker fee so an approved buy is affordable.
    public var feeAllowanceBps: Double

    /// Creates limits; the defaults are 0.3 / 5 % / 50 % / 0.6 / 10 bps.
    public init(
        minConfidence: Double = 0.3, orderSizePct: Double = 0.05, maxInventoryExposurePct: Double = 0.5,
        maxContradictionConfidence: Double = 0.6, feeAllowanceBps: Double = 10
    ) {
        self.minConfidence = minConfidence
        self.orderSizePct = orderSizePct
        self.maxInventoryExposurePct = maxInventoryExposurePct
        self.maxContradictionConfidence = maxContradictionConfidence
        self.feeAllowanceBps = feeAllowanceBps
    }
}

/// The RiskManager's verdict on one proposed trade.
public struct RiskDecision: Sendable, Hashable, Codable {
    /// Whether the trade may go ahead.
    public var approved: Bool
    /// Approved quantity in base units; 0 when refused.
    public var qty: Double
    /// Price the decision was sized at, quote per base unit.
    public var price: Double
    /// qty × price, in quote.
    public var notionalQuote: Double
    /// The rule applied and its numbers, in words.
    public var reason: String
    /// The limit that refused the trade or capped its size: a `RiskLimits` field name,
    /// "quoteBalance", "baseBalance", "price" or "capital"; nil when none bound.
    public var limit: String?

    /// Creates a decision.
    public init(approved: Bool, qty: Double, price: Double, notionalQuote: Double, reason: String, limit: String?) {
        self.approved = approved
        self.qty = qty
        self.price = price
        self.notionalQuote = notionalQuote
        self.reason = reason
        self.limit = limit
    }

    static func refused(price: Double, limit: String, _ reason: String) -> RiskDecision {
        RiskDecision(approved: false, qty: 0, price: price, notionalQuote: 0, reason: reason, limit: limit)
    }

    static func approved(qty: Double, price: Double, limit: String?, _ reason: String) -> RiskDecision {
        RiskDecision(approved: true, qty: qty, price: price, notionalQuote: qty * price, reason: reason, limit: limit)
    }
}
