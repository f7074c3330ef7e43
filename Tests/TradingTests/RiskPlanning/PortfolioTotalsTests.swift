import Testing
@testable import Trading

/// `PortfolioSnapshot.totals` is the three sums the planner checks and reports, made in one
/// pass: the same as each sum on its own, and failing where any of them fails.
@Suite struct PortfolioTotalsTests {
    @Test func theTotalsAreTheSumsEachOnItsOwn() throws {
        var random = SeededGenerator(seed: 42_104)
        for _ in 0..<300 {
            let positions = (0..<Int.random(in: 0...12, using: &random)).map { index -> OpenTrade in
                let entry = Price(raw: Int64.random(in: 1...20_000_000_000_000, using: &random))
                let stop = Price(raw: Int64.random(in: 1...20_000_000_000_000, using: &random))
                return OpenTrade(symbol: "S\(index)", side: Bool.random(using: &random) ? .buy : .sell,
                                 qty: Quantity(raw: Int64.random(in: 1...1_000_000_000, using: &random)), entryPrice: entry,
                                 stopPrice: stop, leverage: Int.random(in: 1...125, using: &random))
            }
            let snapshot = PortfolioSnapshot(capital: 1_000_000, cash: 1_000_000, positions: positions)
            let totals = try snapshot.totals
            #expect(totals.exposure == (try snapshot.totalExposure))
            #expect(totals.openRisk == (try snapshot.totalOpenRisk))
            #expect(totals.margin == (try snapshot.totalMargin))
        }
    }

    @Test func totalsPastTheRangeThrowAsTheSumsDo() {
        let huge = OpenTrade(symbol: "X", side: .buy, qty: Quantity(raw: Int64.max / 2), entryPrice: Price(raw: Int64.max / 2),
                             stopPrice: 1, leverage: 1)
        let snapshot = PortfolioSnapshot(capital: 1, cash: 1, positions: [huge, huge])
        #expect(throws: FixedPointError.self) { try snapshot.totalExposure }
        #expect(throws: FixedPointError.self) { try snapshot.totals }
    }
}
