import Dispatch
import Ledger
import Logging
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// Writes the director's analytics to SQLite: every closed trade as it closes, and a
/// portfolio snapshot of the desk's account (valued by the MarketMaker) on an interval.
/// Without a store it only logs.
///
/// Writes run on a serial queue of their own, so the director's cycles, which run on its
/// message loop, never wait for the disk. They are group-committed: records queued while a
/// commit is syncing are written together by the next one, in order, so a burst of closed
/// trades costs one sync rather than one each.
public actor AnalyticsRecorder: AnalyticsRecording {
    private let store: AnalyticsStore?
    private let logger: Logger
    private let writes = DispatchQueue(label: "analytics-writer")
    /// Records waiting for the next commit; a commit is scheduled when the first one arrives.
    private let pending = Mutex<[AnalyticsRecord]>([])

    /// A recorder writing to `store`, or only logging without one.
    public init(store: AnalyticsStore?, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func record(_ trades: [ClosedTrade], account: String, openingSignalId: String, reason: String) {
        for trade in trades {
            logger.info("closed \(trade.symbol) \(trade.side == .buy ? "long" : "short") \(trade.qty) \(trade.entryPrice) → \(trade.exitPrice): net \(trade.netPnl) (\(reason))")
            write(.trade(AnalyticsTrade(account: account, trade: trade, openingSignalId: openingSignalId, exitReason: reason)))
        }
    }

    public func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in writes.async { done.resume() } }
    }

    private func write(_ record: AnalyticsRecord) {
        guard let store else { return }
        let first = pending.withLock { queued in
            queued.append(record)
            return queued.count == 1
        }
        guard first else { return }
        writes.async { [self] in
            let batch = pending.withLock { queued in
                defer { queued.removeAll(keepingCapacity: true) }
                return queued
            }
            do {
                for refused in try store.record(batch) { logger.error("cannot record in \(store.path): \(refused)") }
            } catch {
                logger.error("cannot record \(batch.count) analytics record(s) in \(store.path): \(error)")
            }
        }
    }

    public func snapshot(account: String, rows: [PositionPayload], open: [OpenTrade], at now: Int64) {
        var capital = 0.0, cash = 0.0, exposure = 0.0, realized = 0.0, unrealized = 0.0
        // A row's base and quote are the balances of its two assets, which other symbols may
        // share (USD quotes BTC-USD and ETH-USD): each asset is counted once, as the planner does.
        var counted = Set<String>()
        for row in rows where row.account == account {
            // A valuation in floating point, as the analytics ledger stores its snapshots.
            let mark = (row.mark ?? row.avgEntryPrice).double
            if row.quoteAsset.map({ counted.insert($0).inserted }) ?? true {
                capital += row.quote.double
                cash += row.quote.double
            }
            if row.baseAsset.map({ counted.insert($0).inserted }) ?? true {
                capital += row.base.double * mark
                exposure += abs(row.base.double) * mark
            }
            realized += row.realizedPnl.double
            unrealized += row.unrealizedPnl.double
        }
        guard capital > 0, capital.isFinite else { return }
        let heat = open.reduce(0.0) { $0 + ((try? $1.openRisk)?.double ?? 0) } / capital
        let snapshot = AnalyticsSnapshot(timeMicros: now, account: account, capital: capital, cash: cash, exposure: exposure,
                                         exposurePct: exposure / capital, realizedPnl: realized, unrealizedPnl: unrealized,
                                         openPositions: open.count, portfolioHeat: heat)
        write(.snapshot(snapshot))
    }
}
