/// Where the protective stop of a new position goes: a multiple of the ATR or a fixed
/// fraction of entry away, on the losing side.
public enum StopRule: Sendable, Hashable, Codable {
    /// entry ∓ ATR × multiplier (minus for a long, plus for a short); the planner's
    /// default multiplier is 2.
    case atr(multiplier: Double)
    /// entry × (1 ∓ fraction), e.g. 0.02 for a stop 2 % away.
    case percent(Double)

    /// The stop for a `side` position entered at `entry`, or nil when it cannot be placed:
    /// the rule needs an ATR that is missing, a parameter or input is not positive and
    /// finite, or the stop would land at or below zero.
    public func stopPrice(side: Side, entry: Double, atr: Double?) -> Double? {
        guard Indicators.isPrice(entry) else { return nil }
        let distance: Double
        switch self {
        case .atr(let multiplier):
            guard let atr, atr.isFinite, atr > 0, multiplier.isFinite, multiplier > 0 else { return nil }
            distance = atr * multiplier
        case .percent(let fraction):
            guard fraction.isFinite, fraction > 0, fraction < 1 else { return nil }
            distance = entry * fraction
        }
        let stop = entry - side.sign * distance
        return Indicators.isPrice(stop) && stop != entry ? stop : nil
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
