import AgentRuntime
import Ledger
import Logging
import Messaging
import Trading
import WireProtocol

/// Writes the director's analytics to SQLite: every closed trade as it closes, and a
/// portfolio snapshot of the desk's account (valued by the MarketMaker) on an interval.
/// Without a store it only logs.
actor AnalyticsRecorder {
    private let store: AnalyticsStore?
    private let logger: Logger

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
            guard let store else { continue }
            do {
                _ = try store.record(AnalyticsTrade(account: account, trade: trade, openingSignalId: openingSignalId, exitReason: reason))
            } catch {
                logger.error("cannot record a closed trade in \(store.path): \(error)")
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
        guard let store else { return }
        do {
            try store.record(snapshot)
        } catch {
            logger.error("cannot record a portfolio snapshot in \(store.path): \(error)")
        }
    }
}
