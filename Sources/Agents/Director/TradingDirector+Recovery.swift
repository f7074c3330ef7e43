import Foundation
import Ledger
import Trading
import WireFormat
import WireProtocol

/// What `recover` restored, for the log and for tests.
public struct DirectorRecovery: Sendable, Hashable {
    /// Positions watched again.
    public var positions = 0
    /// Exits that were in flight, sent again under their client order ids.
    public var exitsResent = 0
    /// Undecided signals queued again (their cycle runs, or resumes at its order).
    public var signalsResumed = 0
    /// Of those, signals whose order was being sent: the venue is asked again.
    public var ordersResent = 0
    /// What did not match: records that could not be read, positions the venue no longer
    /// holds, holdings without a plan on record.
    public var problems: [String] = []
}

extension TradingDirector {
    /// Finishes what a previous run of the director left, from its `records`: remembers the
    /// signal ids it had seen (so a re-sent one is not traded again), watches its positions
    /// again after reconciling them with the venue's inventory of the desk's account, sends
    /// again the exits that were in flight and queues every undecided signal, in arrival order,
    /// so each ends in one decision. Call it before the first `receive`.
    @discardableResult
    public func recover(_ records: DirectorRecords) async -> DirectorRecovery {
        var recovery = DirectorRecovery()
        for id in records.decidedIds { _ = seen.insert(id) }
        for pending in records.pending { _ = seen.insert(pending.signalId) }
        let (exits, problems) = watcher.restore(records.positions)
        recovery.problems += problems
        recovery.problems += await reconcile()
        recovery.positions = watcher.watched().count
        recovery.exitsResent = exits.count
        await dispatch(exits)
        for pending in records.pending {
            switch SignalIntake.read(topic: Topic.signal(pending.symbol), body: pending.envelope) {
            case .signal(let signal):
                var step: ExecutionStep?
                if let recorded = pending.step {
                    do {
                        step = try DirectorRecordCoding.decode(ExecutionStep.self, from: recorded)
                    } catch {
                        recovery.problems.append("signal \(pending.signalId): its recorded order cannot be read (\(error)); its cycle runs again under the same client order id")
                    }
                }
                recovery.signalsResumed += 1
                if step != nil { recovery.ordersResent += 1 }
                admit(signal, received: pending.receivedUs, step: step)
            case .invalid(let decision, let trace):
                // Only a damaged record gets here: the signal still ends in one decision.
                recovery.problems.append("signal \(pending.signalId): recorded signal is invalid: \(decision.reason)")
                closeUnreadable(pending, decision, trace: trace)
            case .unreadable(let error):
                recovery.problems.append("signal \(pending.signalId): recorded signal cannot be read: \(error.message)")
                let decision = DecisionPayload(signalId: pending.signalId, symbol: pending.symbol, side: .buy, outcome: .failed,
                                               reason: "its record cannot be read after a restart: \(error.message)", stage: "validate",
                                               latencyUs: 0)
                closeUnreadable(pending, decision, trace: nil)
            }
        }
        if recovery.positions + recovery.signalsResumed + recovery.exitsResent > 0 || !recovery.problems.isEmpty {
            logger.notice("recovered \(recovery.positions) position(s), resent \(recovery.exitsResent) exit(s), resumed \(recovery.signalsResumed) signal(s) (\(recovery.ordersResent) at their order)")
        }
        for problem in recovery.problems { logger.warning("recovery: \(problem)") }
        return recovery
    }

    /// Records `decision` for a pending signal whose record is damaged, so it is not resumed at
    /// every start, and publishes it when the signal's trace is known.
    private func closeUnreadable(_ pending: DirectorRecords.PendingSignal, _ decision: DecisionPayload, trace: TraceContext?) {
        if let recorded = try? DirectorRecordCoding.encode(decision) {
            journal?.enqueue(.decided(signalId: pending.signalId, decision: recorded))
        }
        if let trace { publish(decision, trace: trace) }
    }

    /// Checks the restored positions against what the venue holds for the desk's account: a
    /// position on a symbol the venue holds nothing of on its side (closed while the director
    /// was down) is no longer watched; holdings without any watched position are reported.
    /// Positions with exits in flight are left to those exits. Without an answer from the
    /// venue the records are kept as they are.
    private func reconcile() async -> [String] {
        let rows: [PositionPayload]
        do {
            rows = try await venue.request(InventoryQuery(account: settings.account), trace: .root()).payload.positions
        } catch {
            return ["the venue did not answer inventory.get (\(error.message)); positions restored from the records alone"]
        }
        var problems: [String] = []
        let held = Dictionary(rows.filter { $0.account == settings.account }.map { ($0.symbol, Quantity(wire: $0.base)) },
                              uniquingKeysWith: +)
        let positions = watcher.watched()
        for position in positions {
            let base = held[position.symbol] ?? 0
            let sameSide = position.tracker.side == .buy ? base.isPositive : base.isNegative
            guard !sameSide else { continue }
            guard !watcher.hasExitsInFlight(position.openingSignalId) else { continue }
            watcher.forget(position.openingSignalId)
            problems.append("the venue holds \(base) \(position.symbol) in \(settings.account): no longer watching the "
                            + "\(position.tracker.side == .buy ? "long" : "short") opened by \(position.openingSignalId)")
        }
        let watchedSymbols = Set(positions.map(\.symbol))
        for (symbol, base) in held.sorted(by: { $0.key < $1.key }) where base != 0 && !watchedSymbols.contains(symbol) {
            problems.append("the venue holds \(base) \(symbol) in \(settings.account) with no plan on record: not watched for exits")
        }
        return problems
    }
}
