import WireFormat
import Trading

/// `order.cancel` (MarketMaker): cancel a resting order of `account`. An order that is not
/// resting (unknown, filled, cancelled, another account's) gets an `error` reply, code `not_found`.
public struct OrderCancel: RequestPayload, Hashable {
    public static var requestType: String { "order.cancel" }
    public typealias Reply = OrderReport

    public var account: String
    public var orderId: String

    enum CodingKeys: String, CodingKey { case account, orderId = "order_id" }

    /// Creates a cancel.
    public init(account: String, orderId: String) {
        self.account = account
        self.orderId = orderId
    }

    public func validate() throws(ProtocolError) {
        try Check.name(account, "payload.account")
        try Check.name(orderId, "payload.order_id")
    }
}

/// `order.replace` (MarketMaker): give a resting order a new remaining quantity and/or limit
/// price. The replacement has a new `order_id` and keeps the `client_order_id`.
public struct OrderReplace: RequestPayload, Hashable {
    public static var requestType: String { "order.replace" }
    public typealias Reply = OrderReport

    public var account: String
    public var orderId: String
    /// New quantity still to trade, base units.
    public var qty: WireDecimal?
    /// New limit price.
    public var price: WireDecimal?

    enum CodingKeys: String, CodingKey { case account, orderId = "order_id", qty, price }

    /// Creates a replace.
    public init(account: String, orderId: String, qty: WireDecimal? = nil, price: WireDecimal? = nil) {
        self.account = account
        self.orderId = orderId
        self.qty = qty
        self.price = price
    }

    public func validate() throws(ProtocolError) {
        try Check.name(account, "payload.account")
        try Check.name(orderId, "payload.order_id")
        guard qty != nil || price != nil else { throw ProtocolError(.missingField, "order.replace needs 'payload.qty' or 'payload.price'") }
        if let qty { try Check.positive(qty, "payload.qty") }
        if let price { try Check.positive(price, "payload.price") }
    }
}

/// One price level of a quote.
public struct QuoteLevelPayload: MessagePayload, Hashable {
    public var price: WireDecimal
    public var qty: WireDecimal

    /// Creates a level.
    public init(price: WireDecimal, qty: WireDecimal) {
        self.price = price
        self.qty = qty
    }
}

/// `quote.<symbol>`: one two-sided quoting refresh at the MarketMaker.
public struct QuoteEventPayload: MessagePayload, Hashable {
    public var symbol: String
    public var account: String
    public var bids: [QuoteLevelPayload]
    public var asks: [QuoteLevelPayload]
    /// Orders placed and cancelled by this refresh.
    public var placed: Int
    public var cancelled: Int
    /// Reasons of the refresh's orders the venue rejected.
    public var rejected: [String]
    /// A stop-loss or take-profit flatten: side, qty and why.
    public var flatten: String?
    /// Why no plan could be made, if so.
    public var problem: String?
    /// Quoting ended (its duration ran out).
    public var stopped: Bool

    /// Creates the event.
    public init(symbol: String, account: String, bids: [QuoteLevelPayload], asks: [QuoteLevelPayload], placed: Int, cancelled: Int,
                rejected: [String], flatten: String?, problem: String?, stopped: Bool) {
        self.symbol = symbol
        self.account = account
        self.bids = bids
        self.asks = asks
        self.placed = placed
        self.cancelled = cancelled
        self.rejected = rejected
        self.flatten = flatten
        self.problem = problem
        self.stopped = stopped
    }
}

/// `hedge.<symbol>`: the hedge leg's answer to one fill, on the fill's trace.
public struct HedgeEventPayload: MessagePayload, Hashable {
    public var from: String
    public var to: String
    /// The fill being hedged.
    public var fillOrderId: String
    public var fillSide: Side
    public var qty: WireDecimal
    /// `filled`, `rejected` (the venue refused the hedge order) or `failed` (it could not be sent).
    public var status: String
    public var hedgeOrderId: String?
    public var attempts: Int
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case from, to, fillOrderId = "fill_order_id", fillSide = "fill_side", qty, status
        case hedgeOrderId = "hedge_order_id", attempts, reason
    }

    /// Creates the event.
    public init(from: String, to: String, fillOrderId: String, fillSide: Side, qty: WireDecimal, status: String,
                hedgeOrderId: String?, attempts: Int, reason: String?) {
        self.from = from
        self.to = to
        self.fillOrderId = fillOrderId
        self.fillSide = fillSide
        self.qty = qty
        self.status = status
        self.hedgeOrderId = hedgeOrderId
        self.attempts = attempts
        self.reason = reason
    }
}
