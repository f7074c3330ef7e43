/// One symbol's remaining quantity per depth level and side, level 0 (the touch) first.
/// Empty for a symbol without depth.
struct DepthBook: Sendable, Hashable {
    /// One level a taker order takes from: its index, its price and the base units taken.
    struct Take: Sendable, Hashable {
        var level: Int
        var price: Price
        var qty: Quantity
    }

    /// Remaining base units of the ask levels (what buys take).
    private(set) var asks: [Quantity] = []
    /// Remaining base units of the bid levels (what sells take).
    private(set) var bids: [Quantity] = []

    /// A book without depth.
    init() {}

    /// A full book for `depth`.
    init(_ depth: MarketDepth) {
        asks = Array(repeating: depth.levelQty, count: depth.levels)
        bids = asks
    }

    /// What a taker of `qty` on `side` would get, best level first, without taking it:
    /// each level's price and as much of its quantity as is still wanted, stopping at the
    /// first level beyond `limit` (a buy's levels above it, a sell's below it).
    func walk(
        side: Side, qty: Quantity, depth: MarketDepth, touch: Touch, tickSize: Price?, limit: Price?
    ) -> [Take] {
        var takes: [Take] = []
        var wanted = qty
        for (level, available) in (side == .buy ? asks : bids).enumerated() where wanted.isPositive {
            guard let price = depth.price(level: level, side: side, touch: touch, tickSize: tickSize) else { break }
            if let limit, side == .buy ? price > limit : price < limit { break }
            guard available.isPositive else { continue }
            let taken = min(wanted, available)
            takes.append(Take(level: level, price: price, qty: taken))
            wanted -= taken
        }
        return takes
    }

    /// Removes what `takes` (from `walk` on the same side) took.
    mutating func take(_ takes: [Take], side: Side) {
        for take in takes {
            switch side {
            case .buy: asks[take.level] -= take.qty
            case .sell: bids[take.level] -= take.qty
            }
        }
    }

    /// One quote update's refill: every level gets `refillQty` back (all of it when nil),
    /// up to `levelQty`.
    mutating func refill(_ depth: MarketDepth) {
        let amount = depth.refillQty ?? depth.levelQty
        for level in asks.indices {
            asks[level] = min(depth.levelQty, asks[level] + amount)
            bids[level] = min(depth.levelQty, bids[level] + amount)
        }
    }
}
