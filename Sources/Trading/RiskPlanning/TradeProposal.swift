/// A new position `TradePlanner` is asked to size and vet, with the symbol's price and
/// quantity grid.
public struct TradeProposal: Sendable, Hashable, Codable {
    /// Symbol to trade, e.g. "BTC-USD".
    public var symbol: String
    /// `.buy` to open or add to a long, `.sell` for a short.
    public var side: Side
    /// Expected entry price, quote per base unit.
    public var entryPrice: Price
    /// Average true range at entry, needed by an ATR stop rule: a statistic in floating point.
    public var atr: Double?
    /// Signal confidence in 0...1, which picks the leverage band; nil uses the default leverage.
    public var confidence: Double?
    /// Smallest quantity step: the size is rounded down to whole lots (10⁻⁸ by default).
    public var lot: Quantity
    /// Price step: the stop and targets are placed on this grid (10⁻⁸ by default).
    public var tick: Price

    /// Creates a proposal.
    public init(symbol: String, side: Side, entryPrice: Price, atr: Double? = nil, confidence: Double? = nil,
                lot: Quantity = Quantity(raw: 1), tick: Price = Price(raw: 1)) {
        self.symbol = symbol
        self.side = side
        self.entryPrice = entryPrice
        self.atr = atr
        self.confidence = confidence
        self.lot = lot
        self.tick = tick
    }
}
