import Testing
@testable import Trading

@Suite struct IndicatorsTests {
    @Test func simpleMovingAverageUsesTheLastPeriodValues() {
        // (3 + 4 + 5) / 3 = 4
        #expect(Indicators.sma([1, 2, 3, 4, 5], period: 3) == 4)
        #expect(Indicators.sma([1, 2, 3], period: 4) == nil)
        #expect(Indicators.sma([1, 2, 3], period: 0) == nil)
        #expect(Indicators.sma([1, .nan, 3], period: 3) == nil)
    }

    @Test func exponentialMovingAverageSeedsWithTheFirstWindow() {
        // seed (2 + 4 + 6) / 3 = 4, α = 2 / 4 = 0.5
        // 8 → 4 + 0.5 · (8 − 4) = 6; 20 → 6 + 0.5 · (20 − 6) = 13
        #expect(Indicators.ema([2, 4, 6, 8, 20], period: 3) == 13)
        #expect(Indicators.ema([2, 4, 6], period: 3) == 4)
        #expect(Indicators.ema([2, 4], period: 3) == nil)
    }

    @Test func zScoreUsesTheSampleStandardDeviation() throws {
        // mean 40 / 8 = 5; Σ(x − 5)² = 32; s = √(32 / 7) = 2.13809; (6 − 5) / s = 0.46771
        let z = try #require(Indicators.zScore(of: 6, in: [2, 4, 4, 4, 5, 5, 7, 9]))
        #expect(close(z, 0.46770717334674267, 1e-12))
        #expect(Indicators.zScore(of: 6, in: [5, 5, 5]) == nil)
        #expect(Indicators.zScore(of: 6, in: [5]) == nil)
    }

    @Test func logReturnsSkipBadPrices() {
        let returns = Indicators.logReturns([100, 110, 99])
        // ln(1.1) = 0.0953102, ln(0.9) = −0.1053605
        #expect(returns.count == 2)
        #expect(close(returns[0], 0.09531017980432493, 1e-12) && close(returns[1], -0.10536051565782628, 1e-12))
        // 100 → 0 and 0 → 110 are meaningless; only 110 → 121 counts.
        let skipped = Indicators.logReturns([100, 0, 110, 121])
        #expect(skipped.count == 1 && close(skipped[0], 0.09531017980432493, 1e-12))
        #expect(Indicators.logReturns([100]).isEmpty)
    }

    @Test func realizedVolatilityIsTheStdDevOfLogReturns() throws {
        // returns 0.0953102 and −0.1053605: mean −0.0050252, each 0.1003353 away;
        // s = √(2 · 0.1003353² / 1) = 0.1418956
        let volatility = try #require(Indicators.realizedVolatility([100, 110, 99]))
        #expect(close(volatility, 0.14189560954670769, 1e-12))
        #expect(Indicators.realizedVolatility([100, 110]) == nil)
    }
}
