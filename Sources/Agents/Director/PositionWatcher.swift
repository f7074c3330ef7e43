import Foundation
import Ledger
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// The director's `ExitBook`, shared by the signal lanes, the tick stream and `positions.get`.
/// With a journal, every change of a position (opened, exit sent, exit booked, closed) is
/// recorded, with the exits sent and not yet booked, so a restarted director can restore it.
///
/// A class whose state is behind a lock rather than an actor: every filled signal books its
/// fills here, and a call into an actor and back is two task switches on the signal's path.
/// Each change is handed to the journal while the lock is held, so the journal takes the
/// changes in the order they were made.
public final class PositionWatcher: Sendable {
    private struct State {
        var book: ExitBook
        /// Exits sent and not yet booked, by opening signal id.
        var inFlight: [String: [DueExit]] = [:]
    }

    private let state: Mutex<State>
    private let journal: DirectorJournal?

    /// An empty book; positions are closed by the time stop after `timeStopSeconds` when set.
    /// Changes are recorded in `journal` when given.
    public init(timeStopSeconds: Double?, journal: DirectorJournal? = nil) {
        state = Mutex(State(book: ExitBook(maxHoldingMicros: timeStopSeconds.map { Int64($0 * 1_000_000) })))
        self.journal = journal
    }

    /// Books what an entry filled: it first closes opposite positions (their trades returned
    /// in `offsets`), and the rest is watched (`watching`: nothing may be left). Fails with the
    /// reason when the plan cannot be tracked.
    public func open(signal: Envelope<SignalPayload>, account: String, plan: RiskPlanPayload, plannedQty: Quantity,
              report: OrderReport, at now: Int64) -> Result<(offsets: [OffsetTrades], watching: Bool), TradingError> {
        state.withLock { state in
            let result = Result { () throws(TradingError) in
                try state.book.open(signalId: signal.id, traceId: signal.traceId, symbol: report.symbol, account: account,
                                    fills: report.fills.map(Execution.init), stopPrice: Price(wire: plan.stopPrice),
                                    targets: plan.plannedTargets, plannedQty: plannedQty, at: now)
            }
            // The signal's decision, recorded next and waited for, commits these with it.
            if case .success(let offsets) = result { record(offsets.map(\.openingSignalId) + [signal.id], of: state, deferred: true) }
            return result.map { (offsets: $0, watching: state.book.watches(signal.id)) }
        }
    }

    /// The exits a quote of `symbol` triggers; a touch with no usable price (not finite, out
    /// of range) triggers none.
    public func evaluate(symbol: String, bid: Double, ask: Double, at now: Int64) -> [DueExit] {
        guard let bid = try? Price(rounding: bid, .toNearestOrAwayFromZero), let ask = try? Price(rounding: ask, .toNearestOrAwayFromZero)
        else { return [] }
        return state.withLock { state in sent(state.book.evaluate(symbol: symbol, bid: bid, ask: ask, at: now), in: &state) }
    }

    /// The exits due by time alone (time stops, retries whose back-off has passed).
    public func reevaluate(at now: Int64) -> [DueExit] {
        state.withLock { state in sent(state.book.reevaluate(at: now), in: &state) }
    }

    /// Books an exit's fills and returns the trades they closed.
    public func filled(_ exit: DueExit, fills: [FillPayload], at now: Int64) -> [ClosedTrade] {
        state.withLock { state in
            let closed = state.book.filled(exit, fills: fills.map(Execution.init), at: now)
            booked(exit, in: &state)
            return closed
        }
    }

    /// Books an exit that did not fill; true when it will be tried again.
    public func failed(_ exit: DueExit, definitive: Bool) -> Bool {
        state.withLock { state in
            let retry = state.book.failed(exit, definitive: definitive)
            booked(exit, in: &state)
            return retry
        }
    }

    /// Returns once every change recorded so far is on disk (at once without a journal): an
    /// exit's order leaves only after the record saying it was sent.
    public func durable() async throws {
        try await journal?.barrier().wait()
    }

    /// The open part of every watched position, for portfolio heat.
    public func openTrades() -> [OpenTrade] { state.withLock { $0.book.openTrades } }

    /// Watches the recorded positions again and returns the exits that were in flight, to be
    /// sent again under the same client order ids (the venue answers a repeat with the first
    /// result, so none is executed twice). Records that cannot be read are skipped, named in
    /// the returned problems.
    public func restore(_ records: [(openingSignalId: String, state: Data)]) -> (exits: [DueExit], problems: [String]) {
        state.withLock { state in
            var exits: [DueExit] = [], problems: [String] = []
            for (id, recorded) in records {
                do {
                    let record = try DirectorRecordCoding.decode(PositionRecord.self, from: recorded)
                    state.book.restore(record.position)
                    if !record.inFlight.isEmpty { state.inFlight[id] = record.inFlight }
                    exits += record.inFlight
                } catch {
                    problems.append("position opened by \(id) could not be read back: \(error)")
                }
            }
            return (exits, problems)
        }
    }

    /// Stops watching the position opened by `openingSignalId`, and records that.
    public func forget(_ openingSignalId: String) {
        state.withLock { state in
            state.book.forget(openingSignalId)
            state.inFlight[openingSignalId] = nil
            record([openingSignalId], of: state)
        }
    }

    /// The watched positions themselves, for reconciling them with the venue.
    public func watched() -> [WatchedPosition] { state.withLock { $0.book.watched() } }

    /// Whether the position opened by `openingSignalId` has exits sent and not yet booked.
    public func hasExitsInFlight(_ openingSignalId: String) -> Bool {
        state.withLock { !($0.inFlight[openingSignalId] ?? []).isEmpty }
    }

    /// The watched positions, for `positions.get`.
    public func report(symbol: String?) -> [WatchedPositionPayload] {
        state.withLock { $0.book.watched(symbol: symbol) }.map { position in
            let tracker = position.tracker
            return WatchedPositionPayload(
                openingSignalId: position.openingSignalId, openingTraceId: position.openingTraceId, account: position.account,
                symbol: position.symbol, side: tracker.side, remainingQty: tracker.remainingQty.wire, entryPrice: position.entryPrice.wire,
                stopPrice: tracker.stopPrice.wire,
                targets: zip(tracker.targets, tracker.targetsHit).map { WatchedTargetPayload(price: $0.price.wire, qty: $0.qty.wire, hit: $1) },
                openedAtUs: tracker.entryTimeMicros, timeStopAtUs: tracker.maxHoldingMicros.map { tracker.entryTimeMicros + $0 })
        }
    }

    private func sent(_ due: [DueExit], in state: inout State) -> [DueExit] {
        guard !due.isEmpty else { return due }
        for exit in due { state.inFlight[exit.openingSignalId, default: []].append(exit) }
        // Each exit's cycle waits for these to be committed before its order leaves.
        record(due.map(\.openingSignalId), of: state, deferred: true)
        return due
    }

    private func booked(_ exit: DueExit, in state: inout State) {
        state.inFlight[exit.openingSignalId]?.removeAll { $0 == exit }
        if state.inFlight[exit.openingSignalId]?.isEmpty == true { state.inFlight[exit.openingSignalId] = nil }
        record([exit.openingSignalId], of: state)
    }

    /// Records the current state of the positions opened by `ids` (or that they are closed),
    /// each once; called with the lock held. `deferred` when a commit that is waited for follows
    /// at once: the changes then go into that commit instead of waking the writer for one of
    /// their own.
    private func record(_ ids: [String], of state: State, deferred: Bool = false) {
        guard let journal else { return }
        var changes: [DirectorChange] = []
        var recorded: Set<String> = []
        for id in ids where recorded.insert(id).inserted {
            guard let position = state.book.position(id) else {
                changes.append(.positionClosed(openingSignalId: id))
                continue
            }
            do {
                let encoded = try DirectorRecordCoding.encode(PositionRecord(position: position, inFlight: state.inFlight[id] ?? []))
                changes.append(.position(openingSignalId: id, symbol: position.symbol, state: encoded))
            } catch {
                // Every field is a finite number or a string; a failure here is a bug.
                preconditionFailure("cannot encode the position opened by \(id): \(error)")
            }
        }
        if deferred { _ = journal.enqueueDeferred(changes) } else { _ = journal.enqueue(changes) }
    }
}
