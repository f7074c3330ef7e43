/// A new position `TradePlanner` is asked to size and vet.
public struct TradeProposal: Sendable, Hashable, Codable {
    /// Symbol to trade, e.g. "BTC-USD".
    public var symbol: String
    /// `.buy` to open or add to a long, `.sell` for a short.
    public var side: Side
    /// Expected entry price, quote per base unit.
    public var entryPrice: Double
    /// Average true range at entry, needed by an ATR stop rule.
    public var atr: Double?
    /// Signal confidence in 0...1, which picks the leverage band; nil uses the default leverage.
    public var confidence: Double?

    /// Creates a proposal.
    public init(symbol: String, side: Side, entryPrice: Double, atr: Double? = nil, confidence: Double? = nil) {
        self.symbol = symbol
        self.side = side
        self.entryPrice = entryPrice
        self.atr = atr
        self.confidence = confidence
    }
}
