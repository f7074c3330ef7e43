/// Equity, margin used and maintenance margin of a margin book, as `MarginState` reports them,
/// summed leg by leg in the order the legs are added, every step checked:
///
/// - a leg's value is base × mark, to the nearest 10⁻⁸;
/// - its initial margin is ⌈worst-case |base| × mark / maxLeverage⌉ and its maintenance margin
///   ⌈|base| × mark × maintenanceBps / 10 000⌉, each notional rounded up to 10⁻⁸ first.
///
/// An order's margin check and the liquidation sweep need only these, so they add the legs as
/// they read them, with no list of legs and no liquidation prices.
struct MarginTotals {
    private(set) var equity: Money
    private(set) var used = Money.zero
    private(set) var maintenance = Money.zero

    /// A book holding `collateral` and no legs yet.
    init(collateral: Money) { equity = collateral }

    /// Adds `leg` under `terms`, returning its value and maintenance margin; throws when a
    /// figure or a sum leaves the fixed-point range (the totals are then of no use).
    @discardableResult
    mutating func add(_ leg: MarginLeg, terms: MarginTerms) throws(FixedPointError) -> (value: Money, maintenance: Money) {
        // A flat leg with no resting orders is worth nothing and needs no margin.
        if leg.base.isZero && leg.pendingBuy.isZero && leg.pendingSell.isZero { return (.zero, .zero) }
        let value = try leg.mark.notional(leg.base)
        equity = try equity.adding(value)
        // The worst case is never below |base|: with no resting orders (the usual leg) it is
        // |base|, and both margins are fractions of the one notional.
        let magnitude = leg.base.magnitude, worst = leg.worstCase
        let held = try leg.mark.notional(magnitude, .up)
        let exposure = worst == magnitude ? held : try leg.mark.notional(worst, .up)
        used = try used.adding(try exposure.scaled(by: 1, over: Int64(terms.maxLeverage), .up))
        let legMaintenance = try held.scaled(by: Int64(terms.maintenanceBps), over: 10_000, .up)
        maintenance = try maintenance.adding(legMaintenance)
        return (value, legMaintenance)
    }
}
