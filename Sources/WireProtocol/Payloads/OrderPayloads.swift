import WireFormat
import Trading

/// `order.submit` (MarketMaker): place an order for an account. Idempotent on
/// (`account`, `client_order_id`): a repeat returns the first result and executes nothing.
public struct OrderSubmit: RequestPayload, Hashable {
    public static var requestType: String { "order.submit" }
    public typealias Reply = OrderReport

    public var clientOrderId: String
    public var account: String
    public var symbol: String
    public var side: Side
    public var type: OrderType
    /// Base units.
    public var qty: WireDecimal
    /// Limit price in quote per base; required for `limit`, ignored for `market`.
    public var price: WireDecimal?

    enum CodingKeys: String, CodingKey {
        case clientOrderId = "client_order_id", account, symbol, side, type, qty, price
    }

    /// Creates an order.
    public init(clientOrderId: String, account: String, symbol: String, side: Side, type: OrderType, qty: WireDecimal, price: WireDecimal? = nil) {
        self.clientOrderId = clientOrderId
        self.account = account
        self.symbol = symbol
        self.side = side
        self.type = type
        self.qty = qty
        self.price = price
    }

    public func validate() throws(ProtocolError) {
        try Check.name(clientOrderId, "payload.client_order_id")
        try Check.name(account, "payload.account")
        try Check.name(symbol, "payload.symbol")
        try Check.positive(qty, "payload.qty")
        if type == .limit {
            guard let price else { throw ProtocolError(.missingField, "missing required field 'payload.price' (a limit order needs a price)") }
            try Check.positive(price, "payload.price")
        }
    }
}

/// `execute` (ExecutionAgent): turn an approved trade into an order at the MarketMaker.
public struct ExecuteRequest: RequestPayload, Hashable {
    public static var requestType: String { "execute" }
    public typealias Reply = OrderReport

    /// The order to place; its `client_order_id` keeps a retried cycle from trading twice.
    public var order: OrderSubmit

    /// Creates a request.
    public init(order: OrderSubmit) { self.order = order }

    public func validate() throws(ProtocolError) { try order.validate() }
}

/// `order.submit.ok`, `execute.ok` and `order.<symbol>`: what the venue did with an order.
public struct OrderReport: MessagePayload, Hashable {
    public var orderId: String
    public var clientOrderId: String
    public var account: String
    public var symbol: String
    public var side: Side
    public var type: OrderType
    public var status: OrderStatus
    public var qty: WireDecimal
    public var filledQty: WireDecimal
    /// Volume-weighted fill price; absent when nothing filled.
    public var avgPrice: WireDecimal?
    public var fills: [FillPayload]
    /// Why the venue rejected it, with the numbers.
    public var reason: String?
    /// Stable code of the rejection, e.g. `insufficient_quote`.
    public var reasonCode: String?
    /// The MarketMaker run `account_version` counts in; nil from a venue that does not
    /// version its accounts.
    public var venueEpoch: String?
    /// The account's version once this order was committed: an `account.<name>` event or
    /// `inventory.get` answer at this version or later shows what the order did.
    public var accountVersion: UInt64?

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", clientOrderId = "client_order_id", account, symbol, side, type, status, qty
        case filledQty = "filled_qty", avgPrice = "avg_price", fills, reason, reasonCode = "reason_code"
        case venueEpoch = "venue_epoch", accountVersion = "account_version"
    }

    /// Creates a report.
    public init(orderId: String, clientOrderId: String, account: String, symbol: String, side: Side, type: OrderType,
                status: OrderStatus, qty: WireDecimal, filledQty: WireDecimal, avgPrice: WireDecimal?, fills: [FillPayload],
                reason: String?, reasonCode: String?, venueEpoch: String? = nil, accountVersion: UInt64? = nil) {
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.account = account
        self.symbol = symbol
        self.side = side
        self.type = type
        self.status = status
        self.qty = qty
        self.filledQty = filledQty
        self.avgPrice = avgPrice
        self.fills = fills
        self.reason = reason
        self.reasonCode = reasonCode
        self.venueEpoch = venueEpoch
        self.accountVersion = accountVersion
    }

    public func validate() throws(ProtocolError) {
        try Check.nonNegative(filledQty, "payload.filled_qty")
        for fill in fills { try fill.validate() }
    }
}

/// `fill.<symbol>`: one execution at the MarketMaker.
public struct FillPayload: MessagePayload, Hashable {
    public var orderId: String
    public var clientOrderId: String
    public var account: String
    public var symbol: String
    public var side: Side
    public var price: WireDecimal
    public var qty: WireDecimal
    /// Fee charged in quote currency.
    public var fee: WireDecimal

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", clientOrderId = "client_order_id", account, symbol, side, price, qty, fee
    }

    /// Creates a fill.
    public init(orderId: String, clientOrderId: String, account: String, symbol: String, side: Side, price: WireDecimal, qty: WireDecimal, fee: WireDecimal) {
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.account = account
        self.symbol = symbol
        self.side = side
        self.price = price
        self.qty = qty
        self.fee = fee
    }

    public func validate() throws(ProtocolError) {
        try Check.positive(price, "payload.price")
        try Check.positive(qty, "payload.qty")
        try Check.nonNegative(fee, "payload.fee")
        guard (try? Price(wire: price).notional(Quantity(wire: qty))) != nil else {
            throw ProtocolError(.invalidValue, "fill price \(price) × qty \(qty) is beyond ±92233720368.54775807")
        }
    }
}
