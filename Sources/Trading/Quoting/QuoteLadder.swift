/// The two-sided quoting strategy for a perpetual market: `maxOrders` bids and asks
/// stepped `spread` apart around the mid, steered back toward a target position and
/// flattened by a stop loss or take profit. `plan(...)` turns a market snapshot into
/// quotes. docs/MODEL.md (Quoting) works through spread 0.01, quantity 0.1, maxOrders 2,
/// target 0, maxPosition 5, threshold 2, skew 0, stopLoss −1, takeProfit 5.
public struct QuoteLadder: Sendable, Hashable {
    /// Distance between levels as a fraction of mid: level i sits at mid × (1 ∓ spread × i).
    public let spread: Double
    /// Levels per side.
    public let maxOrders: Int
    /// Base units per order before any size skew.
    public let quantity: Quantity
    /// Position the skew steers toward, always a magnitude: a negative target is read as
    /// its absolute value.
    public let targetPosition: Double
    /// No level is quoted that would take |position| past this if it and every level
    /// before it on its side filled.
    public let maxPosition: Quantity
    /// Skewing starts only when |position − target| exceeds this.
    public let positionThreshold: Double
    /// 0…1: fraction of one level step (mid × spread) both quotes move against the
    /// position once past the threshold; 0 keeps quotes symmetric.
    public let inventorySkew: Double
    /// Loss, in quote, at which unrealized PnL triggers a flatten. It may be written
    /// signed (−1) or as a magnitude (50); either way it is read as −|stopLoss|.
    public let stopLoss: Double?
    /// Unrealized profit, in quote, at which the position is flattened to bank it.
    public let takeProfit: Double?
    /// Price grid; bids round down and asks up so no quote is tighter than planned.
    public let tickSize: Price?
    /// How level-one prices are found.
    public let pricing: QuotePricing

    /// Creates a ladder; every value is checked and the first problem reported.
    public init(
        spread: Double, maxOrders: Int, quantity: Quantity, targetPosition: Double = 0,
        maxPosition: Quantity, positionThreshold: Double = 0, inventorySkew: Double = 0,
        stopLoss: Double? = nil, takeProfit: Double? = nil, tickSize: Price? = nil,
        pricing: QuotePricing = .symmetric
    ) throws(TradingError) {
        try Self.require(spread.isFinite && spread > 0 && spread < 1, "spread", spread, "in (0, 1)")
        guard maxOrders >= 1 else { throw TradingError(.invalidConfig, "quote ladder maxOrders must be at least 1, got \(maxOrders)") }
        try Self.require(quantity.isPositive, "quantity", quantity.double, "positive")
        try Self.require(targetPosition.isFinite, "targetPosition", targetPosition, "finite")
        try Self.require(maxPosition.isPositive, "maxPosition", maxPosition.double, "positive")
        try Self.require(positionThreshold.isFinite && positionThreshold >= 0, "positionThreshold", positionThreshold, "finite and not negative")
        try Self.require(inventorySkew.isFinite && (0...1).contains(inventorySkew), "inventorySkew", inventorySkew, "in 0…1")
        if let stopLoss { try Self.require(stopLoss.isFinite && stopLoss != 0, "stopLoss", stopLoss, "finite and not zero") }
        if let takeProfit { try Self.require(takeProfit.isFinite && takeProfit > 0, "takeProfit", takeProfit, "positive and finite") }
        if let tickSize { try Self.require(tickSize.isPositive, "tickSize", tickSize.double, "positive") }
        self.spread = spread
        self.maxOrders = maxOrders
        self.quantity = quantity
        self.targetPosition = abs(targetPosition)
        self.maxPosition = maxPosition
        self.positionThreshold = positionThreshold
        self.inventorySkew = inventorySkew
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.tickSize = tickSize
        self.pricing = pricing
    }

    /// Base units one full refresh quotes over both sides, 2 × maxOrders × quantity: the
    /// `totalOrderSize` an `InventorySizeSkew` measures its band in.
    public var totalOrderSize: Double { 2 * Double(maxOrders) * quantity.double }

    private static func require(_ condition: Bool, _ name: String, _ value: Double, _ rule: String) throws(TradingError) {
        guard condition else { throw TradingError(.invalidConfig, "quote ladder \(name) must be \(rule), got \(value)") }
    }
}

/// Where a ladder's first level sits.
public enum QuotePricing: Sendable, Hashable {
    /// mid × (1 ∓ spread), moved by `inventorySkew` past the threshold.
    case symmetric
    /// Avellaneda–Stoikov: r ∓ δ/2 with q = position − target; needs a volatility.
    /// Further levels step mid × spread outward. The model already leans on inventory,
    /// so the threshold skew is not applied on top.
    case avellanedaStoikov(AvellanedaStoikov)
}
