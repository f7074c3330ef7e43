import AgentRuntime
import Dispatch
import Ledger
import Logging
import Messaging
import Trading
import WireProtocol

/// Writes the director's analytics to SQLite: every closed trade as it closes, and a
/// portfolio snapshot of the desk's account (valued by the MarketMaker) on an interval.
/// Without a store it only logs.
///
/// Each write (a synced SQLite commit) runs on a serial queue of its own, in order: the
/// director's cycles, which run on its message loop, never wait for the disk.
actor AnalyticsRecorder {
    private let store: AnalyticsStore?
    private let logger: Logger
    private let writes = DispatchQueue(label: "analytics-writer")

    init(store: AnalyticsStore?, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Records trades closed by an exit of the position `openingSignalId` opened.
    func record(_ trades: [ClosedTrade], account: String, openingSignalId: String, reason: ExitReason) {
        record(trades, account: account, openingSignalId: openingSignalId, reason: reason.rawValue)
    }

    /// Records trades closed for `reason` (an `ExitReason` raw value, or
    /// `AnalyticsTrade.signalExitReason` when an opposite entry closed them).
    func record(_ trades: [ClosedTrade], account: String, openingSignalId: String, reason: String) {
        for trade in trades {
            logger.info("closed \(trade.symbol) \(trade.side == .buy ? "long" : "short") \(trade.qty) \(trade.entryPrice) → \(trade.exitPrice): net \(trade.netPnl) (\(reason))")
            let record = AnalyticsTrade(account: account, trade: trade, openingSignalId: openingSignalId, exitReason: reason)
            write("a closed trade") { _ = try $0.record(record) }
        }
    }

    /// Returns once every write queued so far is done.
    func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in writes.async { done.resume() } }
    }

    private func write(_ what: String, _ body: @escaping @Sendable (AnalyticsStore) throws -> Void) {
        guard let store else { return }
        writes.async { [logger] in
            do {
                try body(store)
            } catch {
                logger.error("cannot record \(what) in \(store.path): \(error)")
            }
        }
    }

    /// Records one snapshot of `account` from the venue's rows and the watched positions.
    func snapshot(account: String, rows: [PositionPayload], open: [OpenTrade], at now: Int64) {
        var capital = 0.0, cash = 0.0, exposure = 0.0, realized = 0.0, unrealized = 0.0
        for row in rows where row.account == account {
            let mark = row.mark ?? row.avgEntryPrice
            capital += row.quote + row.base * mark
            cash += row.quote
            exposure += abs(row.base) * mark
            realized += row.realizedPnl
            unrealized += row.unrealizedPnl
        }
        guard capital > 0, capital.isFinite else { return }
        let heat = open.reduce(0) { $0 + $1.openRisk } / capital
        let snapshot = AnalyticsSnapshot(timeMicros: now, account: account, capital: capital, cash: cash, exposure: exposure,
                                         exposurePct: exposure / capital, realizedPnl: realized, unrealizedPnl: unrealized,
                                         openPositions: open.count, portfolioHeat: heat)
        write("a portfolio snapshot") { try $0.record(snapshot) }
    }
}
