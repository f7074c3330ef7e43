/// Trading rules of one listed symbol: the price grid, the smallest order, how much
/// resting liquidity one quote update can fill and the depth a taker order walks.
///
/// The default is no grid, no minimum, unlimited liquidity and no depth (takers fill any
/// size at the touch), which is how the venue behaved before rules existed.
public struct SymbolRules: Sendable, Hashable, Codable {
    /// Limit prices must be whole multiples of this; nil accepts any positive price.
    /// Market-order fill prices are not snapped, since slippage is a model, not a price.
    public var tickSize: Double?
    /// Smallest quantity an order may ask for, in base units; 0 accepts any.
    public var minQty: Double
    /// Base units of contra liquidity a quote update shows at the touch; nil is unlimited.
    ///
    /// The amount is shared by every resting order on the crossed side, best price first
    /// and oldest first within a price, because it models the one queue of market flow
    /// reaching the book in that update. An order that gets less than its remaining
    /// quantity stays on the book as partially filled and competes again next update.
    public var displayedSize: Double?
    /// The book market orders and marketable limit orders walk; nil fills any size at the touch.
    public var depth: MarketDepth?

    /// Creates rules; `SimulatedVenue.init` validates them.
    public init(tickSize: Double? = nil, minQty: Double = 0, displayedSize: Double? = nil, depth: MarketDepth? = nil) {
        self.tickSize = tickSize
        self.minQty = minQty
        self.displayedSize = displayedSize
        self.depth = depth
    }

    /// Every field checked; the first problem is reported with the symbol and its value.
    public func validated(symbol: String) throws(TradingError) -> SymbolRules {
        if let tickSize, !(tickSize.isFinite && tickSize > 0) {
            throw TradingError(.invalidConfig, "\(symbol) tickSize must be positive and finite, got \(tickSize)")
        }
        guard minQty.isFinite, minQty >= 0 else {
            throw TradingError(.invalidConfig, "\(symbol) minQty must be finite and not negative, got \(minQty)")
        }
        if let displayedSize, !(displayedSize.isFinite && displayedSize > 0) {
            throw TradingError(.invalidConfig, "\(symbol) displayedSize must be positive and finite, got \(displayedSize)")
        }
        try depth?.validate(symbol: symbol, tickSize: tickSize)
        return self
    }

    /// True when `price` is on the grid. Dividing by the tick leaves representation
    /// error of a few ulps (100.07 / 0.01 = 10006.999999999998), so "on the grid" means
    /// within a millionth of a tick of a whole count, not exact equality.
    func isOnGrid(_ price: Double) -> Bool {
        guard let tickSize else { return true }
        let ticks = price / tickSize
        return abs(ticks - ticks.rounded()) <= 1e-6 + abs(ticks) * 1e-13
    }
}
