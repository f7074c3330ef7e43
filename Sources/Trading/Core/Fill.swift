/// One execution: `qty` units of base changed hands at `price` quote per unit.
public struct Fill: Sendable, Hashable, Codable {
    /// Venue order id ("O-1", …) of the order that traded.
    public var orderId: String
    /// The client's id for that order.
    public var clientOrderId: String
    /// Account whose position the fill changes.
    public var account: String
    /// Traded symbol, e.g. "BTC-USD".
    public var symbol: String
    /// Buy adds base and spends quote; sell the reverse.
    public var side: Side
    /// Execution price in quote currency per unit of base.
    public var price: Price
    /// Executed quantity in base units, positive.
    public var qty: Quantity
    /// Fee charged, in quote currency.
    public var fee: Money
    /// Execution time, microseconds since the Unix epoch.
    public var timestampMicros: Int64

    /// Creates a fill.
    public init(
        orderId: String, clientOrderId: String, account: String, symbol: String,
        side: Side, price: Price, qty: Quantity, fee: Money, timestampMicros: Int64
    ) {
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.account = account
        self.symbol = symbol
        self.side = side
        self.price = price
        self.qty = qty
        self.fee = fee
        self.timestampMicros = timestampMicros
    }

    /// price × qty in quote before the fee, rounded to the nearest 10⁻⁸ (halves away from
    /// zero): the amount the fill moves the quote balance by. Fills from the venue, and
    /// fills decoded from the wire, are checked to have a notional in range; for any other
    /// fill out of range this traps.
    public var notionalQuote: Money {
        do { return try price.notional(qty) } catch { preconditionFailure("fill notional \(error)") }
    }
}
