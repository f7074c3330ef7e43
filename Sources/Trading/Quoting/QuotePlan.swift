/// One price level of a quote plan.
public struct QuoteLevel: Sendable, Hashable, Codable {
    /// Limit price in quote per base unit.
    public var price: Price
    /// Size in base units.
    public var qty: Quantity

    /// Creates a level.
    public init(price: Price, qty: Quantity) {
        self.price = price
        self.qty = qty
    }
}

/// A market order that closes the whole position, and why.
public struct FlattenOrder: Sendable, Hashable, Codable {
    /// Sell to close a long, buy to close a short.
    public var side: Side
    /// |position| in base units.
    public var qty: Quantity
    /// Which trigger fired, with the numbers.
    public var reason: String
}

/// What a quoter wants resting after a refresh: the quoter cancels every old order and
/// places these, so the plan is the whole desired book, not a diff.
public struct QuotePlan: Sendable, Hashable, Codable {
    /// Bids, best (highest) first.
    public var bids: [QuoteLevel]
    /// Asks, best (lowest) first.
    public var asks: [QuoteLevel]
    /// Set when a stop loss or take profit fired: close with a market order and quote
    /// nothing this round.
    public var flatten: FlattenOrder?

    /// Creates a plan.
    public init(bids: [QuoteLevel] = [], asks: [QuoteLevel] = [], flatten: FlattenOrder? = nil) {
        self.bids = bids
        self.asks = asks
        self.flatten = flatten
    }

    /// The plan as venue orders for `account` in `symbol`: the flatten market order first,
    /// then bids and asks as limit orders. Client ids are "\(prefix)-flat", "\(prefix)-b1",
    /// "\(prefix)-a1", …; the venue treats a repeated client id as a replay, so give each
    /// refresh its own prefix (e.g. the quote sequence number).
    public func orders(account: String, symbol: String, clientIdPrefix prefix: String) -> [OrderRequest] {
        var orders: [OrderRequest] = []
        orders.reserveCapacity(bids.count + asks.count + 1)
        if let flatten {
            orders.append(OrderRequest(clientOrderId: "\(prefix)-flat", account: account, symbol: symbol,
                                       side: flatten.side, type: .market, qty: flatten.qty))
        }
        for (side, levels, tag) in [(Side.buy, bids, "b"), (Side.sell, asks, "a")] {
            for (index, level) in levels.enumerated() {
                orders.append(OrderRequest(clientOrderId: "\(prefix)-\(tag)\(index + 1)", account: account, symbol: symbol,
                                           side: side, type: .limit, qty: level.qty, limitPrice: level.price))
            }
        }
        return orders
    }
}
