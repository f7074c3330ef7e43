/// The resting limit orders of one symbol, kept so the best order is always last.
///
/// Buys ascend by price and sells descend, so the order a quote reaches first is popped
/// from the end in O(1). Among equal prices the oldest sits nearest the end and fills first.
struct RestingBook: Sendable, Hashable {
    private(set) var buys: [RestingOrder] = []
    private(set) var sells: [RestingOrder] = []

    /// Places `order` by price, then by age among equal prices. A new order is the
    /// youngest, so it queues behind its level; an order put back after a failed replace
    /// keeps the place its sequence number earned.
    mutating func insert(_ order: RestingOrder) {
        switch order.side {
        case .buy:
            let index = Self.firstIndex(in: buys) {
                $0.limitPrice > order.limitPrice || ($0.limitPrice == order.limitPrice && $0.sequence < order.sequence)
            }
            buys.insert(order, at: index)
        case .sell:
            let index = Self.firstIndex(in: sells) {
                $0.limitPrice < order.limitPrice || ($0.limitPrice == order.limitPrice && $0.sequence < order.sequence)
            }
            sells.insert(order, at: index)
        }
    }

    /// Puts back a partly filled order just popped as the best of its side. It was last,
    /// so appending restores its place in O(1).
    mutating func restoreBest(_ order: RestingOrder) {
        switch order.side {
        case .buy: buys.append(order)
        case .sell: sells.append(order)
        }
    }

    /// The resting order `orderId` on `side` at `limitPrice`, if it is there.
    func order(id orderId: String, side: Side, limitPrice: Price) -> RestingOrder? {
        switch side {
        case .buy:
            let level = Self.firstIndex(in: buys) { $0.limitPrice >= limitPrice }
            return Self.index(of: orderId, at: limitPrice, in: buys, from: level).map { buys[$0] }
        case .sell:
            let level = Self.firstIndex(in: sells) { $0.limitPrice <= limitPrice }
            return Self.index(of: orderId, at: limitPrice, in: sells, from: level).map { sells[$0] }
        }
    }

    /// Removes and returns the best buy if an ask at `ask` reaches it.
    mutating func popBuy(crossedBy ask: Price) -> RestingOrder? {
        guard let best = buys.last, ask <= best.limitPrice else { return nil }
        return buys.removeLast()
    }

    /// Removes and returns the best sell if a bid at `bid` reaches it.
    mutating func popSell(crossedBy bid: Price) -> RestingOrder? {
        guard let best = sells.last, bid >= best.limitPrice else { return nil }
        return sells.removeLast()
    }

    /// Removes `orderId`, resting on `side` at `limitPrice`, if it is still there. Binary
    /// search finds the price level, so a cancel scans one level, not the whole book.
    mutating func remove(orderId: String, side: Side, limitPrice: Price) -> RestingOrder? {
        switch side {
        case .buy:
            let level = Self.firstIndex(in: buys) { $0.limitPrice >= limitPrice }
            guard let index = Self.index(of: orderId, at: limitPrice, in: buys, from: level) else { return nil }
            return buys.remove(at: index)
        case .sell:
            let level = Self.firstIndex(in: sells) { $0.limitPrice <= limitPrice }
            guard let index = Self.index(of: orderId, at: limitPrice, in: sells, from: level) else { return nil }
            return sells.remove(at: index)
        }
    }

    private static func index(of orderId: String, at limitPrice: Price, in orders: [RestingOrder], from level: Int) -> Int? {
        var index = level
        while index < orders.count, orders[index].limitPrice == limitPrice {
            if orders[index].orderId == orderId { return index }
            index += 1
        }
        return nil
    }

    /// Binary search for the first element satisfying `isAtOrAfter`, which must be false
    /// for a prefix of `orders` and true for the rest.
    private static func firstIndex(
        in orders: [RestingOrder], where isAtOrAfter: (RestingOrder) -> Bool
    ) -> Int {
        var low = 0
        var high = orders.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrAfter(orders[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
