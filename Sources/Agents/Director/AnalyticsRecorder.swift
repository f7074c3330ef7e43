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
/// message loop, never wait for the disk; or, with a `scheduler`, where it runs them (the message
/// loop once it is idle, for a store whose commits never sync: after the decisions and orders
/// that the same wake-up of the loop released). They are
/// group-committed: records queued while a commit is running are written together by the next
/// one, in order, so a burst of closed trades costs one commit rather than one each.
///
/// Not an actor: its one piece of mutable state, the records waiting, is behind a lock, so a
/// cycle records its closed trades on its own executor, with no hop to an actor and back.
public final class AnalyticsRecorder: AnalyticsRecording {
    private let store: AnalyticsStore?
    private let logger: Logger
    private let writes = DispatchQueue(label: "analytics-writer")
    /// Records waiting for the next commit; a commit is scheduled when the first one arrives.
    private let pending = Mutex<[AnalyticsRecord]>([])
    /// Runs the commits instead of the queue, when given.
    private let scheduler: (@Sendable (@escaping @Sendable () -> Void) -> Void)?
    /// With a scheduler: where a commit that found the store's write lock held (by its
    /// checkpointer) runs again, rather than waiting for it; nil: commits wait.
    private let retryLater: (@Sendable (@escaping @Sendable () -> Void) -> Void)?

    /// A recorder writing to `store`, or only logging without one. With `scheduler` each commit
    /// is handed to it (a message loop's `whenIdle`) instead of the recorder's queue; it
    /// must run them one at a time, in order. With `retryLater` too (the loop's timer), a
    /// commit never waits for the store's write lock: one that finds it held puts its records
    /// back and runs again from `retryLater`.
    public init(store: AnalyticsStore?, logger: Logger, scheduler: (@Sendable (@escaping @Sendable () -> Void) -> Void)? = nil,
                retryLater: (@Sendable (@escaping @Sendable () -> Void) -> Void)? = nil) {
        self.store = store
        self.logger = logger
        self.scheduler = scheduler
        self.retryLater = scheduler == nil ? nil : retryLater
    }

    public func record(_ trades: [ClosedTrade], account: String, openingSignalId: String, reason: String) {
        for trade in trades {
            logger.info(composed: "closed \(trade.symbol) \(trade.side == .buy ? "long" : "short") \(trade.qty) \(trade.entryPrice) → \(trade.exitPrice): net \(trade.netPnl) (\(reason))")
            write(.trade(AnalyticsTrade(account: account, trade: trade, openingSignalId: openingSignalId, exitReason: reason)))
        }
    }

    public func flush() async {
        // A commit waiting to be retried is made now, waiting for the lock.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            run { [self] in
                if let store { commit(to: store, waitingForLock: true) }
                done.resume()
            }
        }
    }

    /// Runs `work` after every commit handed on before it.
    private func run(_ work: @escaping @Sendable () -> Void) {
        if let scheduler { scheduler(work) } else { writes.async(execute: work) }
    }

    private func write(_ record: AnalyticsRecord) {
        guard let store else { return }
        let first = pending.withLock { queued in
            queued.append(record)
            return queued.count == 1
        }
        guard first else { return }
        run { [self] in commit(to: store, waitingForLock: retryLater == nil) }
    }

    /// Writes every record waiting. Found the write lock held (only without `waitingForLock`),
    /// it puts them back ahead of any that came meanwhile and, unless those asked for a commit,
    /// has `retryLater` run it again.
    private func commit(to store: AnalyticsStore, waitingForLock: Bool) {
        let batch = pending.withLock { queued in
            defer { queued.removeAll(keepingCapacity: true) }
            return queued
        }
        guard !batch.isEmpty else { return }
        do {
            for refused in try store.record(batch, waitingForLock: waitingForLock) { logger.error("cannot record in \(store.path): \(refused)") }
        } catch is StoreLockBusy {
            let retries = pending.withLock { queued in
                defer { queued.insert(contentsOf: batch, at: 0) }
                return queued.isEmpty
            }
            if retries, let retryLater { retryLater { [self] in commit(to: store, waitingForLock: false) } }
        } catch {
            logger.error("cannot record \(batch.count) analytics record(s) in \(store.path): \(error)")
        }
    }

    public func snapshot(account: String, rows: [PositionPayload], open: [OpenTrade], at now: Int64) {
        guard let snapshot = Self.valued(account: account, rows: rows, open: open, at: now) else { return }
        write(.snapshot(snapshot))
    }

    /// The snapshot of `account` from the venue's rows, summed exactly: each asset's balance
    /// once (USD quotes BTC-USD and ETH-USD), each base valued at its mark (or entry when
    /// unmarked) to the nearest 10⁻⁸. Nil when capital is not positive or a sum overflows.
    static func valued(account: String, rows: [PositionPayload], open: [OpenTrade], at now: Int64) -> AnalyticsSnapshot? {
        var capital = Money.zero, cash = Money.zero, exposure = Money.zero, realized = Money.zero, unrealized = Money.zero
        var counted = Set<String>()
        do {
            for row in rows where row.account == account {
                let mark = Price(wire: row.mark ?? row.avgEntryPrice)
                if row.quoteAsset.map({ counted.insert($0).inserted }) ?? true {
                    capital = try capital.adding(Money(wire: row.quote))
                    cash = try cash.adding(Money(wire: row.quote))
                }
                if row.baseAsset.map({ counted.insert($0).inserted }) ?? true {
                    let value = try mark.notional(Quantity(wire: row.base))
                    capital = try capital.adding(value)
                    exposure = try exposure.adding(value.magnitude)
                }
                realized = try realized.adding(Money(wire: row.realizedPnl))
                unrealized = try unrealized.adding(Money(wire: row.unrealizedPnl))
            }
        } catch {
            return nil
        }
        guard capital.isPositive else { return nil }
        let risk = open.reduce(0.0) { $0 + ((try? $1.openRisk)?.double ?? 0) }
        return AnalyticsSnapshot(timeMicros: now, account: account, capital: capital, cash: cash, exposure: exposure,
                                 exposurePct: exposure.fraction(of: capital) ?? 0, realizedPnl: realized, unrealizedPnl: unrealized,
                                 openPositions: open.count, portfolioHeat: risk / capital.double)
    }
}
