import Testing
@testable import Trading

/// An order's margin check and the liquidation sweep read `MarginTotals`, which must give the
/// same equity, margin used and maintenance margin as the full `MarginState` and as the
/// formulas written out leg by leg (each margin from its own notional), and fail exactly where
/// they leave the fixed-point range.
@Suite struct MarginTotalsTests {
    /// The totals as the formulas say them: every figure and sum checked, the initial margin
    /// from the notional of the worst case and the maintenance margin from that of |base|.
    static func written(collateral: Money, legs: [MarginLeg], terms: MarginTerms) -> (equity: Money, used: Money, maintenance: Money)? {
        var equity = collateral, used = Money.zero, maintenance = Money.zero
        for leg in legs {
            guard let value = try? leg.mark.notional(leg.base), let sum = try? equity.adding(value),
                  let initial = try? leg.mark.notional(leg.worstCase, .up).scaled(by: 1, over: Int64(terms.maxLeverage), .up),
                  let usedSum = try? used.adding(initial),
                  let kept = try? leg.mark.notional(leg.base.magnitude, .up).scaled(by: Int64(terms.maintenanceBps), over: 10_000, .up),
                  let maintenanceSum = try? maintenance.adding(kept) else { return nil }
            (equity, used, maintenance) = (sum, usedSum, maintenanceSum)
        }
        return (equity, used, maintenance)
    }

    @Test func totalsMatchTheFullFiguresAndTheFormulasForRandomBooks() {
        var random = SystemRandomNumberGenerator()
        var outOfRange = 0, withResting = 0, withoutResting = 0
        for _ in 0..<2_000 {
            let terms = MarginTerms(maxLeverage: Int.random(in: 1...100, using: &random), maintenanceBps: Int.random(in: 0...99, using: &random))
            // Magnitudes up to 10¹⁰ base at marks up to 10⁹ leave the range now and then; about
            // half the legs have no resting orders, whose margins share one notional.
            let scale = [Int64(1), 100, 10_000, 1_000_000, 100_000_000, 10_000_000_000][Int.random(in: 0...5, using: &random)]
            let legs = (0..<Int.random(in: 0...8, using: &random)).map { index in
                let resting = Bool.random(using: &random)
                return MarginLeg(symbol: "S\(index)", base: Quantity(raw: Int64.random(in: -scale...scale, using: &random) * 100_000_000),
                                 pendingBuy: resting ? Quantity(raw: Int64.random(in: 0...scale, using: &random) * 1_000_000) : 0,
                                 pendingSell: resting ? Quantity(raw: Int64.random(in: 0...scale, using: &random) * 1_000_000) : 0,
                                 mark: Price(raw: Int64.random(in: 1...scale, using: &random) * 10_000_000))
            }
            for leg in legs { if leg.worstCase == leg.base.magnitude { withoutResting += 1 } else { withResting += 1 } }
            let collateral = Money(raw: Int64.random(in: -scale...scale, using: &random) * 100_000_000)
            let full = MarginState(collateral: collateral, asset: "USD", legs: legs, terms: terms)
            var summed = MarginTotals(collateral: collateral)
            let added = (try? legs.forEach { leg throws(FixedPointError) in try summed.add(leg, terms: terms) }) != nil
            let totals = added ? (equity: summed.equity, used: summed.used, maintenance: summed.maintenance) : nil
            let written = Self.written(collateral: collateral, legs: legs, terms: terms)
            #expect((full == nil) == (totals == nil), "\(legs) with \(collateral)")
            #expect((written == nil) == (totals == nil), "\(legs) with \(collateral)")
            guard let full, let totals, let written else {
                outOfRange += 1
                continue
            }
            #expect(totals.equity == full.equity && totals.used == full.marginUsed && totals.maintenance == full.maintenanceMargin)
            #expect(totals == written)
            #expect((totals.maintenance.isPositive && totals.equity < totals.maintenance) == full.isUnderwater)
        }
        // Both kinds of book were drawn: in range and past it; and both kinds of leg.
        #expect(outOfRange > 0 && outOfRange < 2_000)
        #expect(withResting > 1_000 && withoutResting > 1_000)
    }
}
