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
    public var price: Double
    /// Executed quantity in base units, positive.
    public var qty: Double
    /// Fee charged, in quote currency.
    public var fee: Double
    /// Execution time, microseconds since the Unix epoch.
    public var timestampMicros: Int64

    /// Creates a fill.
    public init(
        orderId: String, clientOrderId: String, account: String, symbol: String,
        side: Side, price: Double, qty: Double, fee: Double, timestampMicros: Int64
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

    /// price × qty, in quote currency, before the fee.
    public var notionalQuote: Double { price * qty }

    /// Fee for trading `qty` at `price` at a rate of `bps` basis points of notional.
    /// Shared by fills and reservations so both compute the very same Double.
    static func fee(price: Double, qty: Double, bps: Double) -> Double {
        price * qty * bps / 10_000
    }
}
