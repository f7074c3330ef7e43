/// Performance statistics as pure functions over closed trades: win rate, average win and
/// loss, profit factor, equity curve and drawdown, Sharpe ratio, holding time.
public enum PerformanceAnalytics {
    /// Statistics of `trades`, whose equity curve starts at `startingCapital`.
    /// Invalid trades (see `ClosedTrade.isValid`) are left out and counted.
    /// `riskFreeRatePerTrade` is subtracted from each per-trade return in the Sharpe ratio;
    /// it defaults to 0 because the usual risk-free rates (say 0.02) are annual, and a
    /// per-trade return cannot be compared with them.
    public static func report(
        trades: [ClosedTrade], startingCapital: Double, riskFreeRatePerTrade: Double = 0
    ) -> PerformanceReport {
        let valid = trades.filter(\.isValid)
        let pnls = valid.map(\.netPnl.double)
        let wins = pnls.filter { $0 > 0 }
        let losses = pnls.filter { $0 < 0 }
        let grossProfit = wins.reduce(0, +)
        let grossLoss = -losses.reduce(0, +)
        // Sorting by exit time makes the curve independent of the order trades were listed in;
        // the sort is stable, so trades closed at the same instant keep their order.
        let ordered = valid.enumerated().sorted { ($0.element.exitTimeMicros, $0.offset) < ($1.element.exitTimeMicros, $1.offset) }
        var curve = [startingCapital]
        for (_, trade) in ordered { curve.append((curve.last ?? startingCapital) + trade.netPnl.double) }
        let drawdown = maxDrawdown(equityCurve: curve)
        return PerformanceReport(
            tradeCount: valid.count, winCount: wins.count, lossCount: losses.count,
            breakevenCount: valid.count - wins.count - losses.count, invalidTradeCount: trades.count - valid.count,
            winRate: valid.isEmpty ? nil : Double(wins.count) / Double(valid.count),
            averageWin: mean(wins), averageLoss: mean(losses), largestWin: wins.max(), largestLoss: losses.min(),
            grossProfit: grossProfit, grossLoss: grossLoss, netPnl: pnls.reduce(0, +),
            totalFees: valid.reduce(0) { $0 + $1.fees.double },
            profitFactor: grossLoss > 0 ? grossProfit / grossLoss : nil,
            equityCurve: curve, maxDrawdown: drawdown.amount, maxDrawdownPct: drawdown.pct,
            sharpeRatio: sharpeRatio(returns: valid.map(\.returnPct), riskFreeRate: riskFreeRatePerTrade),
            averageHoldingMicros: mean(valid.map(\.holdingMicros)))
    }

    /// Maximum drawdown: walk the curve keeping the running peak; the
    /// largest peak − value is the drawdown, and its percentage is taken at that same point
    /// (so it is the percentage of the largest fall in quote, not the largest percentage).
    /// Non-finite values are skipped. Zero for an empty or never-falling curve.
    public static func maxDrawdown(equityCurve: [Double]) -> Drawdown {
        let values = equityCurve.filter(\.isFinite)
        guard var peak = values.first else { return Drawdown(amount: 0, pct: 0) }
        var result = Drawdown(amount: 0, pct: peak > 0 ? 0 : nil)
        for value in values {
            peak = max(peak, value)
            let fall = peak - value
            if fall > result.amount {
                result = Drawdown(amount: fall, pct: peak > 0 ? fall / peak : nil)
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

    private static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
