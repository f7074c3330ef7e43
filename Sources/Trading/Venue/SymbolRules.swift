/// Trading rules of one listed symbol: the price grid, the lot size, the smallest order, the
/// quote step fees are rounded to, how much resting liquidity one quote update can fill and
/// the depth a taker order walks.
///
/// The default is no price grid, lots and quote steps of 10⁻⁸ (the finest value the venue
/// holds), no minimum, unlimited liquidity and no depth (takers fill any size at the touch).
public struct SymbolRules: Sendable, Hashable, Codable {
    /// Limit prices must be whole multiples of this; nil accepts any positive price.
    /// Market-order fill prices are not snapped, since slippage is a model, not a price.
    public var tickSize: Price?
    /// Quantities must be whole multiples of this, in base units.
    public var lotSize: Quantity
    /// Smallest quantity an order may ask for, in base units; 0 accepts any.
    public var minQty: Quantity
    /// Fees are rounded up to whole multiples of this, in quote (0.01 for cents).
    public var quoteStep: Money
    /// Base units of contra liquidity a quote update shows at the touch; nil is unlimited.
    ///
    /// The amount is shared by every resting order on the crossed side, best price first
    /// and oldest first within a price, because it models the one queue of market flow
    /// reaching the book in that update. An order that gets less than its remaining
    /// quantity stays on the book as partially filled and competes again next update.
    public var displayedSize: Quantity?
    /// The book market orders and marketable limit orders walk; nil fills any size at the touch.
    public var depth: MarketDepth?
    /// The base and quote assets; nil takes them from the symbol's name ("BTC-USD").
    public var assets: AssetPair?
    /// Periodic funding of margin accounts' positions (a perpetual); nil pays none.
    public var funding: FundingTerms?

    /// Creates rules; `SimulatedVenue.init` validates them.
    public init(
        tickSize: Price? = nil, lotSize: Quantity = Quantity(raw: 1), minQty: Quantity = 0, quoteStep: Money = Money(raw: 1),
        displayedSize: Quantity? = nil, depth: MarketDepth? = nil, assets: AssetPair? = nil,
        funding: FundingTerms? = nil
    ) {
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.minQty = minQty
        self.quoteStep = quoteStep
        self.displayedSize = displayedSize
        self.depth = depth
        self.assets = assets
        self.funding = funding
    }

    /// Every field checked; the first problem is reported with the symbol and its value.
    public func validated(symbol: String) throws(TradingError) -> SymbolRules {
        if let tickSize, !tickSize.isPositive {
            throw TradingError(.invalidConfig, "\(symbol) tickSize must be positive, got \(tickSize)")
        }
        guard lotSize.isPositive else {
            throw TradingError(.invalidConfig, "\(symbol) lotSize must be positive, got \(lotSize)")
        }
        guard !minQty.isNegative, minQty.isMultiple(of: lotSize) else {
            throw TradingError(.invalidConfig, "\(symbol) minQty must be a whole number of lots of \(lotSize), got \(minQty)")
        }
        guard quoteStep.isPositive else {
            throw TradingError(.invalidConfig, "\(symbol) quoteStep must be positive, got \(quoteStep)")
        }
        if let displayedSize, !(displayedSize.isPositive && displayedSize.isMultiple(of: lotSize)) {
            throw TradingError(.invalidConfig, "\(symbol) displayedSize must be a positive whole number of lots of \(lotSize), got \(displayedSize)")
        }
        try depth?.validate(symbol: symbol, tickSize: tickSize, lotSize: lotSize)
        try funding?.validate(symbol: symbol)
        return self
    }

    /// True when `price` is a whole number of ticks (always, without a grid).
    func isOnGrid(_ price: Price) -> Bool {
        guard let tickSize else { return true }
        return price.isMultiple(of: tickSize)
    }
}
