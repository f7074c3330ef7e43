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
    public var levelQty: Double
    /// Distance between levels in basis points of the touch; nil spaces them by the tick size.
    public var stepBps: Double?
    /// Base units each level gets back per quote update, up to `levelQty`; nil refills it whole.
    public var refillQty: Double?
    /// What happens to the unfilled part of an order.
    public var unfilled: Unfilled

    /// Creates a depth model; `SimulatedVenue.init` validates it against the symbol's rules.
    public init(levels: Int, levelQty: Double, stepBps: Double? = nil, refillQty: Double? = nil, unfilled: Unfilled = .cancel) {
        self.levels = levels
        self.levelQty = levelQty
        self.stepBps = stepBps
        self.refillQty = refillQty
        self.unfilled = unfilled
    }

    /// Every field checked; levels need a step, from `stepBps` or the symbol's tick size.
    func validate(symbol: String, tickSize: Double?) throws(TradingError) {
        guard levels >= 1 else {
            throw TradingError(.invalidConfig, "\(symbol) depth levels must be at least 1, got \(levels)")
        }
        for (name, value) in [("levelQty", levelQty), ("refillQty", refillQty ?? levelQty)] where !(value.isFinite && value > 0) {
            throw TradingError(.invalidConfig, "\(symbol) depth \(name) must be positive and finite, got \(value)")
        }
        if let stepBps, !(stepBps.isFinite && stepBps > 0 && stepBps < 10_000) {
            throw TradingError(.invalidConfig, "\(symbol) depth stepBps must be in (0, 10000) bps, got \(stepBps)")
        }
        guard stepBps != nil || tickSize != nil || levels == 1 else {
            throw TradingError(.invalidConfig, "\(symbol) depth of \(levels) levels needs stepBps or a tickSize to space them")
        }
    }

    /// The price of level `level` for a taker on `side`: the ask side for a buy, the bid
    /// side for a sell. Nil when a sell level would reach a price of zero or below.
    func price(level: Int, side: Side, touch: MarketQuote, tickSize: Double?) -> Double? {
        let steps = Double(level)
        let price: Double
        switch (side, stepBps) {
        case (.buy, let bps?): price = touch.ask * (1 + steps * bps / 10_000)
        case (.sell, let bps?): price = touch.bid * (1 - steps * bps / 10_000)
        case (.buy, nil): price = touch.ask + steps * (tickSize ?? 0)
        case (.sell, nil): price = touch.bid - steps * (tickSize ?? 0)
        }
        return price > 0 ? price : nil
    }
}
