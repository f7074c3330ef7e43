import WireFormat
/// `market.<symbol>`: top of book from the MarketMaker's simulated market.
public struct MarketTick: MessagePayload, Hashable {
    public var symbol: String
    public var bid: Double
    public var ask: Double
    public var last: Double

    /// Creates a tick.
    public init(symbol: String, bid: Double, ask: Double, last: Double) {
        self.symbol = symbol
        self.bid = bid
        self.ask = ask
        self.last = last
    }

    public func validate() throws(ProtocolError) {
        try Check.positive(bid, "payload.bid")
        try Check.positive(ask, "payload.ask")
        try Check.positive(last, "payload.last")
        guard ask >= bid else { throw ProtocolError(.invalidValue, "crossed tick: ask \(ask) below bid \(bid)") }
    }
}
