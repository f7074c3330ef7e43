import Testing
@testable import Trading

@Suite struct PerformanceAnalyticsTests {
    static let hour: Int64 = 3_600_000_000

    /// Four trades, listed out of exit order on purpose:
    /// T4 short 4 @ 250 → 200, no fees, 6h → 10h: +200 net, return 200 / 1000 = 0.2
    /// T1 long 10 @ 100 → 110, fees 2, 0h → 2h: +100 − 2 = +98, return 0.098
    /// T3 long 20 @ 50 → 48, no fees, 5h → 6h: −40, return −0.04
    /// T2 short 5 @ 200 → 210, fees 1, 1h → 4h: −50 − 1 = −51, return −0.051
    let trades = [
        ClosedTrade(side: .sell, qty: 4, entryPrice: 250, exitPrice: 200, entryTimeMicros: 6 * hour, exitTimeMicros: 10 * hour),
        ClosedTrade(side: .buy, qty: 10, entryPrice: 100, exitPrice: 110, fees: 2, entryTimeMicros: 0, exitTimeMicros: 2 * hour),
        ClosedTrade(side: .buy, qty: 20, entryPrice: 50, exitPrice: 48, entryTimeMicros: 5 * hour, exitTimeMicros: 6 * hour),
        ClosedTrade(side: .sell, qty: 5, entryPrice: 200, exitPrice: 210, fees: 1, entryTimeMicros: 1 * hour, exitTimeMicros: 4 * hour),
    ]

    @Test func statisticsOfASmallTradeList() throws {
        let report = PerformanceAnalytics.report(trades: trades, startingCapital: 10_000)
        #expect(report.tradeCount == 4 && report.winCount == 2 && report.lossCount == 2 && report.winRate == 0.5)
        #expect(report.averageWin == 149)  // (98 + 200) / 2
        #expect(report.averageLoss == -45.5)  // (−51 − 40) / 2
        #expect(report.largestWin == 200 && report.largestLoss == -51)
        #expect(report.grossProfit == 298 && report.grossLoss == 91 && report.netPnl == 207 && report.totalFees == 3)
        #expect(close(try #require(report.profitFactor), 298.0 / 91, 1e-12))  // 3.2747
        // average holding (2 + 3 + 1 + 4) / 4 = 2.5 h
        #expect(report.averageHoldingMicros == 9_000_000_000 && report.averageHoldingHours == 2.5)
    }

    @Test func drawdownOnTheEquityCurveInExitOrder() throws {
        let report = PerformanceAnalytics.report(trades: trades, startingCapital: 10_000)
        // exits T1, T2, T3, T4: 10 000 → 10 098 → 10 047 → 10 007 → 10 207
        #expect(report.equityCurve == [10_000, 10_098, 10_047, 10_007, 10_207])
        // peak 10 098, trough 10 007: 91, i.e. 91 / 10 098 = 0.90117 %
        let pct = try #require(report.maxDrawdownPct)
        #expect(report.maxDrawdown == 91 && close(pct, 91.0 / 10_098, 1e-12))
    }

    @Test func drawdownPercentIsTakenAtTheLargestFall() {
        // falls: 100 → 50 (50, i.e. 50 %) and 1000 → 800 (200, i.e. 20 %): the drawdown is
        // the larger amount, 200, with its own percentage, 20 %.
        #expect(PerformanceAnalytics.maxDrawdown(equityCurve: [100, 50, 1000, 800]) == Drawdown(amount: 200, pct: 0.2))
        #expect(PerformanceAnalytics.maxDrawdown(equityCurve: [1, 2, 3]) == Drawdown(amount: 0, pct: 0))
        #expect(PerformanceAnalytics.maxDrawdown(equityCurve: []) == Drawdown(amount: 0, pct: 0))
        #expect(PerformanceAnalytics.maxDrawdown(equityCurve: [0, -10]) == Drawdown(amount: 10, pct: nil))
    }

    @Test func sharpeOfPerTradeReturns() throws {
        let report = PerformanceAnalytics.report(trades: trades, startingCapital: 10_000)
        // returns 0.098, −0.051, −0.04, 0.2: mean 0.207 / 4 = 0.05175
        // deviations 0.04625, −0.10275, −0.09175, 0.14825; Σ² = 0.04309275; s = √(0.04309275 / 3) = 0.1198509
        // Sharpe = 0.05175 / 0.1198509 = 0.431786
        #expect(close(try #require(report.sharpeRatio), 0.43178631782989907, 1e-9))
        // With 1 % per trade risk-free: (0.05175 − 0.01) / 0.1198509 = 0.348349
        let withRate = PerformanceAnalytics.report(trades: trades, startingCapital: 10_000, riskFreeRatePerTrade: 0.01)
        #expect(close(try #require(withRate.sharpeRatio), 0.34834934820093305, 1e-9))
        #expect(PerformanceAnalytics.sharpeRatio(returns: [0.1]) == nil)
        #expect(PerformanceAnalytics.sharpeRatio(returns: [0.1, 0.1]) == nil)
    }

    @Test func noLossesMeansNoProfitFactor() {
        let winners = Array(trades.prefix(2))
        let report = PerformanceAnalytics.report(trades: winners, startingCapital: 10_000)
        #expect(report.grossLoss == 0 && report.profitFactor == nil && report.averageLoss == nil)
        #expect(report.maxDrawdown == 0)
    }

    @Test func emptyAndInvalidInput() {
        let empty = PerformanceAnalytics.report(trades: [], startingCapital: 10_000)
        #expect(empty.tradeCount == 0 && empty.winRate == nil && empty.sharpeRatio == nil)
        #expect(empty.averageHoldingMicros == nil && empty.equityCurve == [10_000])
        let broken = ClosedTrade(side: .buy, qty: 0, entryPrice: 100, exitPrice: 110, entryTimeMicros: 0, exitTimeMicros: 1)
        let breakeven = ClosedTrade(side: .buy, qty: 1, entryPrice: 100, exitPrice: 100, entryTimeMicros: 0, exitTimeMicros: 1)
        let report = PerformanceAnalytics.report(trades: trades + [broken, breakeven], startingCapital: 10_000)
        #expect(report.tradeCount == 5 && report.invalidTradeCount == 1 && report.breakevenCount == 1)
        #expect(report.winRate == 0.4 && report.netPnl == 207)
    }

    @Test func closedTradePnlAndReturn() {
        let short = ClosedTrade(side: .sell, qty: 5, entryPrice: 200, exitPrice: 210, fees: 1,
                                entryTimeMicros: 0, exitTimeMicros: 3 * Self.hour)
        // SHORT: (entry − exit) × qty = −50; pct = −51 / (200 × 5)
        #expect(short.grossPnl == -50 && short.netPnl == -51 && short.returnPct == -0.051)
        #expect(short.holdingMicros == Double(3 * Self.hour))
    }

    @Test func sumsOfMoneyAreExact() {
        // +0.1 and +0.2: in binary 0.1 + 0.2 = 0.30000000000000004; exactly it is 0.3.
        let small = [
            ClosedTrade(side: .buy, qty: 1, entryPrice: 1, exitPrice: 1.1, entryTimeMicros: 0, exitTimeMicros: 1),
            ClosedTrade(side: .buy, qty: 1, entryPrice: 1, exitPrice: 1.2, entryTimeMicros: 0, exitTimeMicros: 2),
        ]
        let report = PerformanceAnalytics.report(trades: small, startingCapital: 0)
        #expect(report.netPnl == 0.3 && report.grossProfit == 0.3)
        #expect(report.equityCurve == [0, 0.1, 0.3])
    }

    @Test func aSumPastTheRangeSaturatesInsteadOfWrapping() {
        // Each trade makes 89,999,000,000; two together are past the ±92,233,720,368 range.
        let huge = ClosedTrade(side: .buy, qty: 1_000_000, entryPrice: 1, exitPrice: 90_000, entryTimeMicros: 0, exitTimeMicros: 1)
        let report = PerformanceAnalytics.report(trades: [huge, huge], startingCapital: 0)
        #expect(report.netPnl == Money(raw: .max) && report.grossProfit == Money(raw: .max))
        #expect(report.equityCurve.last == Money(raw: .max) && report.maxDrawdown == 0)
    }
}
