/// The simulated book a taker order walks: `levels` price levels on each side of the touch,
/// each holding `levelQty` base units, consumed by market orders and marketable limit orders
/// and refilled on every quote update.
///
/// Level 0 is the touch (the ask for a buy, the bid for a sell); level i lies i steps further
/// from the mid, a step being `stepBps` of the touch or, without it, the symbol's tick size.
/// Levels follow the touch: their prices move with each quote, their remaining quantities stay.
public struct MarketDepth: Sendable, Hashable, Codable {
    /// What becomes of the part of a taker order the book cannot fill.
    public enum Unfilled: String, Sendable, Hashable, Codable, CaseIterable {
        /// Immediate-or-cancel: what the book holds fills, the rest is cancelled and the
        /// order reports `partiallyFilled` with the reason.
        case cancel
        /// Fill-or-kill: the whole order is rejected and nothing fills.
        case reject
    }

    /// Price levels on each side, at least 1.
    public var levels: Int
    /// Base units each level holds when full.
    public var levelQty: Quantity
    /// Distance between levels in basis points of the touch; nil spaces them by the tick size.
    public var stepBps: Double?
    /// Base units each level gets back per quote update, up to `levelQty`; nil refills it whole.
    public var refillQty: Quantity?
    /// What happens to the unfilled part of an order.
    public var unfilled: Unfilled

    /// Creates a depth model; `SimulatedVenue.init` validates it against the symbol's rules.
    public init(levels: Int, levelQty: Quantity, stepBps: Double? = nil, refillQty: Quantity? = nil, unfilled: Unfilled = .cancel) {
        self.levels = levels
        self.levelQty = levelQty
        self.stepBps = stepBps
        self.refillQty = refillQty
        self.unfilled = unfilled
    }

    /// Every field checked; levels need a step, from `stepBps` or the symbol's tick size,
    /// and quantities a whole number of lots.
    func validate(symbol: String, tickSize: Price?, lotSize: Quantity) throws(TradingError) {
        guard levels >= 1 else {
            throw TradingError(.invalidConfig, "\(symbol) depth levels must be at least 1, got \(levels)")
        }
        for (name, value) in [("levelQty", levelQty), ("refillQty", refillQty ?? levelQty)]
        where !(value.isPositive && value.isMultiple(of: lotSize)) {
            throw TradingError(.invalidConfig, "\(symbol) depth \(name) must be a positive whole number of lots of \(lotSize), got \(value)")
        }
        if let stepBps, !(stepBps > 0 && BasisPoints(stepBps) != nil) {
            throw TradingError(.invalidConfig, "\(symbol) depth stepBps must be in (0, 10000) bps, in steps of 0.0001, got \(stepBps)")
        }
        guard stepBps != nil || tickSize != nil || levels == 1 else {
            throw TradingError(.invalidConfig, "\(symbol) depth of \(levels) levels needs stepBps or a tickSize to space them")
        }
    }

    /// The price of level `level` for a taker on `side`: the ask side for a buy, the bid
    /// side for a sell. A level `stepBps` apart is rounded away from the touch (a buy's
    /// up, a sell's down) to 10⁻⁸. Nil when a sell level would reach a price of zero or
    /// below, or a price is out of range.
    func price(level: Int, side: Side, touch: Touch, tickSize: Price?) -> Price? {
        let steps = Int64(level)
        let price: Price?
        switch (side, stepBps.flatMap(BasisPoints.init)) {
        case (.buy, let bps?): price = try? touch.ask.scaled(by: 100_000_000 + steps * bps.units, over: 100_000_000, .up)
        case (.sell, let bps?): price = try? touch.bid.scaled(by: 100_000_000 - steps * bps.units, over: 100_000_000, .down)
        case (.buy, nil): price = try? touch.ask.adding((tickSize ?? 0).times(steps))
        case (.sell, nil): price = try? touch.bid.subtracting((tickSize ?? 0).times(steps))
        }
        return price.flatMap { $0.isPositive ? $0 : nil }
    }
}
