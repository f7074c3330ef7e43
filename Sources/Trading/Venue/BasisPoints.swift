/// A fee or slippage rate held exactly, as a whole number of 0.0001 bps (10⁻⁸ of notional),
/// so applying it involves one rounding with a stated direction and nothing else.
struct BasisPoints: Sendable, Hashable {
    /// The rate in units of 0.0001 bps.
    let units: Int64

    /// `bps` basis points; nil when it is not a whole number of 0.0001 bps or not in [0, 10000).
    init?(_ bps: Double) {
        let units = (bps * 10_000).rounded()
        guard bps.isFinite, bps >= 0, bps < 10_000, abs(units - bps * 10_000) <= 1e-6 else { return nil }
        self.units = Int64(units)
    }

    /// The fee on `notional` at this rate, rounded up to a whole number of `step` (the
    /// symbol's quote step): what a venue charges never falls short of the rate.
    func fee(on notional: Money, step: Money) throws(FixedPointError) -> Money {
        let exact = try notional.magnitude.scaled(by: units, over: 100_000_000, .up)
        _ = try exact.adding(step) // rounding up adds less than one step; it must fit
        return exact.roundedUp(toMultipleOf: step)
    }

    /// `price` moved against a taker by this rate: a buy pays price × (1 + rate) rounded up
    /// to 10⁻⁸, a sell gets price × (1 − rate) rounded down.
    func slipped(_ price: Price, side: Side) throws(FixedPointError) -> Price {
        guard units != 0 else { return price }
        switch side {
        case .buy: return try price.scaled(by: 100_000_000 + units, over: 100_000_000, .up)
        case .sell: return try price.scaled(by: 100_000_000 - units, over: 100_000_000, .down)
        }
    }
}
