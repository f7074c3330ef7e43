/// What the venue did with a submitted order.
public struct OrderResult: Sendable, Hashable, Codable {
    /// Venue-assigned id, "O-1", "O-2", … in submission order.
    public var orderId: String
    /// The client's id from the request.
    public var clientOrderId: String
    /// Account from the request.
    public var account: String
    /// Symbol from the request.
    public var symbol: String
    /// Side from the request.
    public var side: Side
    /// Order type from the request.
    public var type: OrderType
    /// Outcome: filled, open (resting), partially filled, rejected or cancelled.
    public var status: OrderStatus
    /// Quantity asked for, in base units.
    public var requestedQty: Quantity
    /// Limit price from the request; nil for a market order.
    public var limitPrice: Price?
    /// Quantity executed so far, in base units.
    public var filledQty: Quantity
    /// Quantity-weighted fill price (Σ notional ÷ Σ qty, rounded to the nearest 10⁻⁸);
    /// nil when nothing filled.
    public var averagePrice: Price?
    /// Executions of this order at the time of the result.
    public var fills: [Fill]
    /// Why the order was refused (status rejected), or why the part of a partially filled
    /// order that the book could not fill was cancelled; nil otherwise.
    public var rejection: TradingError?

    /// Creates a result.
    public init(
        orderId: String, clientOrderId: String, account: String, symbol: String,
        side: Side, type: OrderType, status: OrderStatus, requestedQty: Quantity,
        limitPrice: Price? = nil, filledQty: Quantity = 0, averagePrice: Price? = nil, fills: [Fill] = [],
        rejection: TradingError? = nil
    ) {
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.account = account
        self.symbol = symbol
        self.side = side
        self.type = type
        self.status = status
        self.requestedQty = requestedQty
        self.limitPrice = limitPrice
        self.filledQty = filledQty
        self.averagePrice = averagePrice
        self.fills = fills
        self.rejection = rejection
    }
}
