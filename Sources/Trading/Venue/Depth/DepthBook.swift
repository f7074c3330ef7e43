/// One symbol's remaining quantity per depth level and side, level 0 (the touch) first.
/// Empty for a symbol without depth.
struct DepthBook: Sendable, Hashable {
    /// One level a taker order takes from: its index, its price and the base units taken.
    struct Take: Sendable, Hashable {
        var level: Int
        var price: Double
        var qty: Double
    }

    /// Remaining base units of the ask levels (what buys take).
    private(set) var asks: [Double] = []
    /// Remaining base units of the bid levels (what sells take).
    private(set) var bids: [Double] = []

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
        side: Side, qty: Double, depth: MarketDepth, touch: MarketQuote, tickSize: Double?, limit: Double?
    ) -> [Take] {
        var takes: [Take] = []
        var wanted = qty
        // What is left after whole levels may be float residue; it must not become a dust fill.
        let done = qty * 1e-12
        for (level, available) in (side == .buy ? asks : bids).enumerated() where wanted > done {
            guard let price = depth.price(level: level, side: side, touch: touch, tickSize: tickSize) else { break }
            if let limit, side == .buy ? price > limit : price < limit { break }
            guard available > 0 else { continue }
            let taken = min(wanted, available)
            takes.append(Take(level: level, price: price, qty: taken))
            wanted -= taken
        }
        return takes
    }

    /// Removes what `takes` (from `walk` on the same side) took.
    mutating func take(_ takes: [Take], side: Side, depth: MarketDepth) {
        // A level left with float residue is empty, not a dust level.
        let empty = depth.levelQty * 1e-12
        for take in takes {
            switch side {
            case .buy: asks[take.level] = asks[take.level] - take.qty > empty ? asks[take.level] - take.qty : 0
            case .sell: bids[take.level] = bids[take.level] - take.qty > empty ? bids[take.level] - take.qty : 0
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
