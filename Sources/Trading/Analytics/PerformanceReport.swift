/// Trade statistics over a list of closed trades, from `PerformanceAnalytics`.
/// Wins and losses are judged on net PnL (after fees); amounts are exact `Money` in quote,
/// summed without rounding; averages and ratios are statistics in floating point. Values that
/// are undefined for the trades given (no trades, no losses, …) are nil rather than a
/// made-up 0 or an infinity that would not survive JSON.
public struct PerformanceReport: Sendable, Hashable, Codable {
    /// Valid trades counted.
    public var tradeCount: Int
    /// Trades with net PnL > 0.
    public var winCount: Int
    /// Trades with net PnL < 0.
    public var lossCount: Int
    /// Trades with net PnL exactly 0, counted in neither.
    public var breakevenCount: Int
    /// Trades left out because a quantity, price or fee was unusable.
    public var invalidTradeCount: Int
    /// winCount / tradeCount; nil without trades.
    public var winRate: Double?
    /// Σ net PnL of the wins / winCount; nil without wins.
    public var averageWin: Double?
    /// Σ net PnL of the losses / lossCount, negative; nil without losses.
    public var averageLoss: Double?
    /// Largest single net profit; nil without wins.
    public var largestWin: Money?
    /// Largest single net loss, negative; nil without losses.
    public var largestLoss: Money?
    /// Σ net PnL of the wins.
    public var grossProfit: Money
    /// |Σ net PnL of the losses|, positive.
    public var grossLoss: Money
    /// Σ net PnL of all trades.
    public var netPnl: Money
    /// Σ fees of all trades.
    public var totalFees: Money
    /// grossProfit / grossLoss. Nil when there is no loss to divide by — with wins only the
    /// factor is unbounded, and reporting a number would suggest a comparison it cannot bear.
    public var profitFactor: Double?
    /// Starting capital followed by the equity after each trade, in exit-time order.
    public var equityCurve: [Money]
    /// Largest peak-to-trough fall of the equity curve, in quote.
    public var maxDrawdown: Money
    /// That fall as a fraction of its peak (0.05 for 5 %); nil when the
    /// peak is not positive.
    public var maxDrawdownPct: Double?
    /// (mean per-trade return − riskFreeRatePerTrade) / sample standard deviation of the
    /// per-trade returns (`ClosedTrade.returnPct`). Per trade, not annualised: trades have
    /// no fixed period to scale by. Nil with fewer than two trades or no variation.
    public var sharpeRatio: Double?
    /// Mean holding time, in microseconds; nil without trades.
    public var averageHoldingMicros: Double?

    /// Mean holding time in hours; nil without trades.
    public var averageHoldingHours: Double? { averageHoldingMicros.map { $0 / 3_600_000_000 } }
}

/// The largest peak-to-trough fall of an equity curve.
public struct Drawdown: Sendable, Hashable, Codable {
    /// Peak minus trough, in quote; 0 for a curve that never falls.
    public var amount: Money
    /// amount / peak, as a fraction; nil when the peak is not positive.
    public var pct: Double?

    /// Creates a drawdown.
    public init(amount: Money, pct: Double?) {
        self.amount = amount
        self.pct = pct
    }
}
