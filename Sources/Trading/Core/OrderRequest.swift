/// An order as a client submits it to the venue.
public struct OrderRequest: Sendable, Hashable, Codable {
    /// The client's id. Resubmitting the same id for the same account replays the first
    /// result instead of trading again; an empty id opts out of that protection.
    public var clientOrderId: String
    /// Account to trade for.
    public var account: String
    /// Symbol to trade.
    public var symbol: String
    /// Buy or sell.
    public var side: Side
    /// Market or limit.
    public var type: OrderType
    /// Quantity in base units; must be positive, a whole number of the symbol's lots and
    /// at least its minimum.
    public var qty: Quantity
    /// Limit price in quote per base unit, on the symbol's tick grid; required for limit
    /// orders, ignored for market.
    public var limitPrice: Price?

    /// Creates a request.
    public init(
        clientOrderId: String, account: String, symbol: String, side: Side,
        type: OrderType, qty: Quantity, limitPrice: Price? = nil
    ) {
        self.clientOrderId = clientOrderId
        self.account = account
        self.symbol = symbol
        self.side = side
        self.type = type
        self.qty = qty
        self.limitPrice = limitPrice
    }
}
