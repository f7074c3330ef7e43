import Trading

/// What `hedgectl report` shows of an analytics file, computed from its trades and
/// snapshots without touching the file: the trade statistics, the trades by exit reason,
/// and the portfolio's first and latest snapshot with its equity high and low.
///
/// Meant for one account's records: snapshots of several accounts would mix their
/// equities. Trades that `ClosedTrade.isValid` refuses are left out of every figure
/// (and counted in `performance.invalidTradeCount`).
public struct AnalyticsSummary: Sendable, Hashable, Codable {
    /// The trades closed for one exit reason.
    public struct ExitReasonStats: Sendable, Hashable, Codable {
        /// The exit reason, e.g. "stop_loss".
        public var reason: String
        /// Trades closed for it.
        public var tradeCount: Int
        /// Of those, trades with net PnL > 0.
        public var winCount: Int
        /// Σ their net PnL, in quote.
        public var netPnl: Double

        /// Creates the figures of one reason.
        public init(reason: String, tradeCount: Int, winCount: Int, netPnl: Double) {
            self.reason = reason
            self.tradeCount = tradeCount
            self.winCount = winCount
            self.netPnl = netPnl
        }

        /// The JSON keys.
        enum CodingKeys: String, CodingKey {
            case reason
            case tradeCount = "trade_count"
            case winCount = "win_count"
            case netPnl = "net_pnl"
        }
    }

    /// Capital the equity curve starts from: the first snapshot's capital, else the
    /// fallback passed in; nil when there was neither (or the fallback was not finite).
    public var startingCapital: Double?
    /// `PerformanceAnalytics.report` of the trades from `startingCapital`. Without a
    /// starting capital the curve starts at 0, so it is the cumulative net PnL, and
    /// `maxDrawdownPct` is nil: a percentage of PnL alone would mean nothing.
    public var performance: PerformanceReport
    /// The valid trades grouped by exit reason, sorted by reason.
    public var byExitReason: [ExitReasonStats]
    /// Number of snapshots summarised.
    public var snapshotCount: Int
    /// The earliest snapshot (the first listed among equal times); nil without snapshots.
    public var firstSnapshot: AnalyticsSnapshot?
    /// The latest snapshot (the last listed among equal times); nil without snapshots.
    public var latestSnapshot: AnalyticsSnapshot?
    /// Highest capital among the snapshots; nil without snapshots.
    public var equityHigh: Money?
    /// Lowest capital among the snapshots; nil without snapshots.
    public var equityLow: Money?

    /// Summarises `trades` and `snapshots`, in any order. The equity curve starts from
    /// the earliest snapshot's capital when there is a snapshot, else from
    /// `startingCapital`.
    public init(trades: [AnalyticsTrade], snapshots: [AnalyticsSnapshot], startingCapital fallback: Double? = nil) {
        var first: AnalyticsSnapshot?
        var latest: AnalyticsSnapshot?
        for snapshot in snapshots {
            if first.map({ snapshot.timeMicros < $0.timeMicros }) ?? true { first = snapshot }
            if latest.map({ snapshot.timeMicros >= $0.timeMicros }) ?? true { latest = snapshot }
        }
        let capital = first?.capital.double ?? fallback.flatMap { $0.isFinite ? $0 : nil }
        var performance = PerformanceAnalytics.report(trades: trades.map(\.trade), startingCapital: capital ?? 0)
        if capital == nil { performance.maxDrawdownPct = nil }

        var groups: [String: ExitReasonStats] = [:]
        for record in trades where record.trade.isValid {
            let pnl = record.netPnl
            var stats = groups[record.exitReason] ?? ExitReasonStats(reason: record.exitReason, tradeCount: 0, winCount: 0, netPnl: 0)
            stats.tradeCount += 1
            stats.winCount += pnl.isPositive ? 1 : 0
            stats.netPnl += pnl.double
            groups[record.exitReason] = stats
        }

        startingCapital = capital
        self.performance = performance
        byExitReason = groups.values.sorted { $0.reason < $1.reason }
        snapshotCount = snapshots.count
        firstSnapshot = first
        latestSnapshot = latest
        equityHigh = snapshots.map(\.capital).max()
        equityLow = snapshots.map(\.capital).min()
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case performance
        case startingCapital = "starting_capital"
        case byExitReason = "by_exit_reason"
        case snapshotCount = "snapshot_count"
        case firstSnapshot = "first_snapshot"
        case latestSnapshot = "latest_snapshot"
        case equityHigh = "equity_high"
        case equityLow = "equity_low"
    }
}
