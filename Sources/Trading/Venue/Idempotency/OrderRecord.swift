/// An order the venue filled at once or put on the book, in the few values its result is
/// built from: the request's strings and numbers, the order number and the execution's numbers.
/// Every record, a kept one too, holds the request's symbol, side, type, quantity and limit
/// price, so a resubmission of its client order id can be compared with it.
///
/// `result` builds the `OrderResult`; the venue returns that same build the first time and
/// on every replay, so a replay is identical by construction. Keeping this instead of the
/// result saves, per remembered order, the fills array (a heap allocation) and two thirds of
/// the bytes.
struct OrderRecord: Sendable {
    /// What `result` builds.
    enum Shape: UInt8, Sendable {
        /// Filled whole by one fill at `price`, paying `fee`, at `timestampMicros`.
        case filled
        /// Resting on the book, nothing filled.
        case resting
        /// Not built here: the whole result is kept elsewhere and `number` is its index there.
        case kept
    }

    var clientOrderId: String
    var account: String
    var symbol: String
    /// The order number, as in order id "O-\(number)"; for a kept result, its index.
    var number: Int
    var requestedQty: Quantity
    /// The limit price of a limit order; `noLimit` for a market order or a limit order without one.
    var limitPrice: Price
    var price: Price
    var fee: Money
    var timestampMicros: Int64
    var side: Side
    var type: OrderType
    var shape: Shape

    /// `request` filled whole at `price`.
    init(filled request: OrderRequest, number: Int, price: Price, fee: Money, at timestampMicros: Int64) {
        self.init(request: request, number: number, price: price, fee: fee, at: timestampMicros, shape: .filled)
    }

    /// `request` put on the book.
    init(resting request: OrderRequest, number: Int) {
        self.init(request: request, number: number, price: 0, fee: 0, at: 0, shape: .resting)
    }

    /// Stands for `result`, kept whole at `index`; carries the key and the order's terms.
    init(keeping result: OrderResult, at index: Int) {
        self.init(clientOrderId: result.clientOrderId, account: result.account, symbol: result.symbol, number: index,
                  requestedQty: result.requestedQty, limitPrice: Self.limit(result.type, result.limitPrice),
                  price: 0, fee: 0, timestampMicros: 0, side: result.side, type: result.type, shape: .kept)
    }

    private init(request: OrderRequest, number: Int, price: Price, fee: Money, at timestampMicros: Int64, shape: Shape) {
        self.init(clientOrderId: request.clientOrderId, account: request.account, symbol: request.symbol,
                  number: number, requestedQty: request.qty, limitPrice: Self.limit(request.type, request.limitPrice),
                  price: price, fee: fee, timestampMicros: timestampMicros, side: request.side, type: request.type, shape: shape)
    }

    private init(
        clientOrderId: String, account: String, symbol: String, number: Int, requestedQty: Quantity, limitPrice: Price,
        price: Price, fee: Money, timestampMicros: Int64, side: Side, type: OrderType, shape: Shape
    ) {
        self.clientOrderId = clientOrderId
        self.account = account
        self.symbol = symbol
        self.number = number
        self.requestedQty = requestedQty
        self.limitPrice = limitPrice
        self.price = price
        self.fee = fee
        self.timestampMicros = timestampMicros
        self.side = side
        self.type = type
        self.shape = shape
    }

    /// The result of a filled or resting order; not for a kept one.
    var result: OrderResult {
        let orderId = VenueOrderId.render(number)
        let filled = shape == .filled
        let fills = filled ? [Fill(
            orderId: orderId, clientOrderId: clientOrderId, account: account, symbol: symbol,
            side: side, price: price, qty: requestedQty, fee: fee, timestampMicros: timestampMicros)] : []
        // One initializer call for both shapes: returning one of two results built apart
        // costs a copy of the whole result.
        return OrderResult(
            orderId: orderId, clientOrderId: clientOrderId, account: account, symbol: symbol,
            side: side, type: type, status: filled ? .filled : .open, requestedQty: requestedQty,
            limitPrice: limitPrice == Self.noLimit ? nil : limitPrice, filledQty: filled ? requestedQty : 0, averagePrice: filled ? price : nil, fills: fills)
    }
}

extension OrderRecord {
    /// The record whose `result` is exactly `result` (every string byte for byte, every
    /// number equal), or nil when `result` is not a fill or a resting order in the
    /// venue's own shape. For results read back from a store.
    init?(exactly result: OrderResult) {
        guard result.rejection == nil, let number = VenueOrderId.number(of: result.orderId),
              result.limitPrice == nil || (result.type == .limit && result.limitPrice != Self.noLimit)
        else { return nil }
        let request = OrderRequest(
            clientOrderId: result.clientOrderId, account: result.account, symbol: result.symbol,
            side: result.side, type: result.type, qty: result.requestedQty, limitPrice: result.limitPrice)
        switch result.status {
        case .filled:
            guard result.fills.count == 1, let fill = result.fills.first, let price = result.averagePrice,
                  Self.same(fill.orderId, result.orderId), Self.same(fill.clientOrderId, result.clientOrderId),
                  Self.same(fill.account, result.account), Self.same(fill.symbol, result.symbol),
                  fill.side == result.side, fill.price == price,
                  fill.qty == result.requestedQty, result.filledQty == result.requestedQty
            else { return nil }
            self.init(filled: request, number: number, price: price, fee: fill.fee, at: fill.timestampMicros)
        case .open:
            guard result.fills.isEmpty, result.averagePrice == nil, result.filledQty.isZero else { return nil }
            self.init(resting: request, number: number)
        default:
            return nil
        }
    }

    private static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// Stands for "no limit price" without the extra byte an optional would take.
    static let noLimit = Price(raw: .min)

    /// The limit price a record keeps: the request's for a limit order, `noLimit` when there
    /// is none (a market order's limit price is ignored, so it is not kept).
    private static func limit(_ type: OrderType, _ price: Price?) -> Price {
        type == .limit ? price ?? noLimit : noLimit
    }
}

extension OrderRecord {
    /// The first of the order's terms (symbol, side, type, quantity, limit price) in which
    /// `request` differs from the order this record stands for, with both values as text;
    /// nil when it repeats them all.
    func firstDifference(from request: OrderRequest) -> (field: String, first: String, now: String)? {
        if symbol != request.symbol { return ("symbol", symbol, request.symbol) }
        if side != request.side { return ("side", side.rawValue, request.side.rawValue) }
        if type != request.type { return ("type", type.rawValue, request.type.rawValue) }
        if requestedQty != request.qty { return ("qty", "\(requestedQty)", "\(request.qty)") }
        let limitNow = Self.limit(request.type, request.limitPrice)
        if limitPrice != limitNow {
            func text(_ price: Price) -> String { price == Self.noLimit ? "none" : "\(price)" }
            return ("limit price", text(limitPrice), text(limitNow))
        }
        return nil
    }
}
