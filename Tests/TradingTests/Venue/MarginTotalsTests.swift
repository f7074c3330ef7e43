import Testing
@testable import Trading

/// An order's margin check and the liquidation sweep read `MarginState.totals`, which must give
/// the same equity, margin used and maintenance margin as the full `MarginState`, and be nil
/// exactly where it is (past the fixed-point range).
@Suite struct MarginTotalsTests {
    @Test func totalsMatchTheFullFiguresForRandomBooks() {
        var random = SystemRandomNumberGenerator()
        var outOfRange = 0
        for _ in 0..<2_000 {
            let terms = MarginTerms(maxLeverage: Int.random(in: 1...100, using: &random), maintenanceBps: Int.random(in: 0...99, using: &random))
            // Magnitudes up to 10¹⁰ base at marks up to 10⁹ leave the range now and then.
            let scale = [Int64(1), 100, 10_000, 1_000_000, 100_000_000, 10_000_000_000][Int.random(in: 0...5, using: &random)]
            let legs = (0..<Int.random(in: 0...8, using: &random)).map { index in
                MarginLeg(symbol: "S\(index)", base: Quantity(raw: Int64.random(in: -scale...scale, using: &random) * 100_000_000),
                          pendingBuy: Quantity(raw: Int64.random(in: 0...scale, using: &random) * 1_000_000),
                          pendingSell: Quantity(raw: Int64.random(in: 0...scale, using: &random) * 1_000_000),
                          mark: Price(raw: Int64.random(in: 1...scale, using: &random) * 10_000_000))
            }
            let collateral = Money(raw: Int64.random(in: -scale...scale, using: &random) * 100_000_000)
            let full = MarginState(collateral: collateral, asset: "USD", legs: legs, terms: terms)
            let totals = MarginState.totals(collateral: collateral, legs: legs, terms: terms)
            #expect((full == nil) == (totals == nil), "\(legs) with \(collateral)")
            guard let full, let totals else {
                outOfRange += 1
                continue
            }
            #expect(totals.equity == full.equity && totals.used == full.marginUsed && totals.maintenance == full.maintenanceMargin)
            #expect((totals.maintenance.isPositive && totals.equity < totals.maintenance) == full.isUnderwater)
        }
        // Both kinds of book were drawn: in range and past it.
        #expect(outOfRange > 0 && outOfRange < 2_000)
    }
}
