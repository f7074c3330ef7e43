/// Top of book for one symbol at one instant, in quote currency per unit of base.
public struct MarketQuote: Sendable, Hashable, Codable {
    /// Best bid (highest price a buyer pays).
    public var bid: Double
    /// Best ask (lowest price a seller accepts).
    public var ask: Double
    /// Last traded price.
    public var last: Double

    /// Creates a quote.
    public init(bid: Double, ask: Double, last: Double) {
        self.bid = bid
        self.ask = ask
        self.last = last
    }

    /// Mid price, (bid + ask) / 2.
    public var mid: Double { (bid + ask) / 2 }
}
