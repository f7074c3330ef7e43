/// Where the protective stop of a new position goes: a multiple of the ATR or a fixed
/// fraction of entry away, on the losing side.
public enum StopRule: Sendable, Hashable, Codable {
    /// entry ∓ ATR × multiplier (minus for a long, plus for a short); the planner's
    /// default multiplier is 2.
    case atr(multiplier: Double)
    /// entry × (1 ∓ fraction), e.g. 0.02 for a stop 2 % away.
    case percent(Double)

    /// The stop for a `side` position entered at `entry`, on the `tick` grid, or nil when it
    /// cannot be placed: the rule needs an ATR that is missing, a parameter or input is not
    /// positive and finite, or the stop would land at or below zero.
    ///
    /// Rounding never makes the stop tighter than the rule asks: the distance is rounded
    /// up to 10⁻⁸ (ATR × multiplier is floating point; entry × fraction is exact before that
    /// one rounding), and the stop is then moved onto the tick grid away from entry — down
    /// for a long, up for a short. The risk is sized on that stop, so a wider stop means a
    /// smaller position, never a larger loss than the budget.
    public func stopPrice(side: Side, entry: Price, atr: Double?, tick: Price = Price(raw: 1)) -> Price? {
        guard entry.isPositive, tick.isPositive else { return nil }
        let distance: Price
        switch self {
        case .atr(let multiplier):
            guard let atr, atr.isFinite, atr > 0, multiplier.isFinite, multiplier > 0,
                  let exact = try? Price(rounding: atr * multiplier, .up) else { return nil }
            distance = exact
        case .percent(let fraction):
            guard fraction.isFinite, fraction > 0, fraction < 1, let share = ExactFraction(fraction),
                  let exact = try? share.of(entry, .up) else { return nil }
            distance = exact
        }
        guard distance.isPositive, let offset = try? entry.subtracting(side == .buy ? distance : -distance),
              (try? offset.adding(tick)) != nil else { return nil }
        let stop = side == .buy ? offset.roundedDown(toMultipleOf: tick) : offset.roundedUp(toMultipleOf: tick)
        return stop.isPositive && stop != entry ? stop : nil
    }
}

/// One take-profit level of a plan: exit `fraction` of the quantity once price has moved
/// `riskReward` times the stop distance in the position's favour.
public struct TakeProfitLevel: Sendable, Hashable, Codable {
    /// Reward as a multiple of risk, e.g. 2 for a 2R target.
    public var riskReward: Double
    /// Share of the planned quantity exited here, in (0, 1].
    public var fraction: Double

    /// Creates a level.
    public init(riskReward: Double, fraction: Double) {
        self.riskReward = riskReward
        self.fraction = fraction
    }

    /// The standard scale-out: 50 % at 2R, 30 % at 3R, 20 % at 4R.
    public static let standardScaleOut = [
        TakeProfitLevel(riskReward: 2, fraction: 0.5),
        TakeProfitLevel(riskReward: 3, fraction: 0.3),
        TakeProfitLevel(riskReward: 4, fraction: 0.2),
    ]
}
