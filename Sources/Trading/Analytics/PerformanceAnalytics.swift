/// Performance statistics as pure functions over closed trades: win rate, average win and
/// loss, profit factor, equity curve and drawdown, Sharpe ratio, holding time.
public enum PerformanceAnalytics {
    /// Statistics of `trades`, whose equity curve starts at `startingCapital` (the nearest
    /// 10⁻⁸ of it: the ledger keeps capital as a Double; 0 when it is not finite).
    /// Invalid trades (see `ClosedTrade.isValid`) are left out and counted.
    /// `riskFreeRatePerTrade` is subtracted from each per-trade return in the Sharpe ratio;
    /// it defaults to 0 because the usual risk-free rates (say 0.02) are annual, and a
    /// per-trade return cannot be compared with them.
    ///
    /// Sums of money (profit, loss, net PnL, fees, each equity point, the drawdown) are exact;
    /// a sum that would leave the ±9.2 × 10¹⁰ range stops at the range's edge (saturates)
    /// rather than wrapping. Means, ratios and the Sharpe ratio are floating point.
    public static func report(
        trades: [ClosedTrade], startingCapital: Double, riskFreeRatePerTrade: Double = 0
    ) -> PerformanceReport {
        let valid = trades.filter(\.isValid)
        let pnls = valid.map(\.netPnl)
        let wins = pnls.filter(\.isPositive)
        let losses = pnls.filter(\.isNegative)
        let grossProfit = saturatingSum(wins)
        let grossLoss = saturatingSum(losses.map { -$0 })
        // Sorting by exit time makes the curve independent of the order trades were listed in;
        // the sort is stable, so trades closed at the same instant keep their order.
        let ordered = valid.enumerated().sorted { ($0.element.exitTimeMicros, $0.offset) < ($1.element.exitTimeMicros, $1.offset) }
        let start = (try? Money(rounding: startingCapital, .toNearestOrAwayFromZero)) ?? .zero
        var curve = [start]
        for (_, trade) in ordered { curve.append(saturatingSum([curve.last ?? start, trade.netPnl])) }
        let drawdown = maxDrawdown(equityCurve: curve)
        return PerformanceReport(
            tradeCount: valid.count, winCount: wins.count, lossCount: losses.count,
            breakevenCount: valid.count - wins.count - losses.count, invalidTradeCount: trades.count - valid.count,
            winRate: valid.isEmpty ? nil : Double(wins.count) / Double(valid.count),
            averageWin: mean(wins.map(\.double)), averageLoss: mean(losses.map(\.double)), largestWin: wins.max(), largestLoss: losses.min(),
            grossProfit: grossProfit, grossLoss: grossLoss, netPnl: saturatingSum(pnls),
            totalFees: saturatingSum(valid.map(\.fees)),
            profitFactor: grossLoss.isPositive ? grossProfit.double / grossLoss.double : nil,
            equityCurve: curve, maxDrawdown: drawdown.amount, maxDrawdownPct: drawdown.pct,
            sharpeRatio: sharpeRatio(returns: valid.map(\.returnPct), riskFreeRate: riskFreeRatePerTrade),
            averageHoldingMicros: mean(valid.map(\.holdingMicros)))
    }

    /// Maximum drawdown: walk the curve keeping the running peak; the
    /// largest peak − value is the drawdown, exact, and its percentage is taken at that same
    /// point (so it is the percentage of the largest fall in quote, not the largest
    /// percentage). Zero for an empty or never-falling curve.
    public static func maxDrawdown(equityCurve: [Money]) -> Drawdown {
        guard var peak = equityCurve.first else { return Drawdown(amount: 0, pct: 0) }
        var result = Drawdown(amount: 0, pct: peak.isPositive ? 0 : nil)
        for value in equityCurve {
            peak = max(peak, value)
            let fall = (try? peak.subtracting(value)) ?? Money(raw: .max)
            if fall > result.amount {
                result = Drawdown(amount: fall, pct: fall.fraction(of: peak))
            }
        }
        return result
    }

    /// Sharpe ratio: (mean(returns) − riskFreeRate) / stdev(returns),
    /// with the sample (n − 1) standard deviation. Nil with fewer than two returns, no
    /// variation, or a non-finite result.
    public static func sharpeRatio(returns: [Double], riskFreeRate: Double = 0) -> Double? {
        guard let average = mean(returns), let spread = Indicators.standardDeviation(returns), spread > 0 else { return nil }
        let ratio = (average - riskFreeRate) / spread
        return ratio.isFinite ? ratio : nil
    }

    /// Σ `amounts`, exact, held at the edge of the range instead of wrapping past it.
    private static func saturatingSum(_ amounts: [Money]) -> Money {
        amounts.reduce(Money.zero) { total, amount in
            (try? total.adding(amount)) ?? Money(raw: amount.isNegative ? .min + 1 : .max)
        }
    }

    private static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
