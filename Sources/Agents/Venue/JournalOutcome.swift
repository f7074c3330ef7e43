import Foundation
import Ledger
import Synchronization

/// How a journal ended, once it has: failed (with why) or closed (nil). Any number of tasks
/// may wait for it; a cancelled waiter gets nil.
public final class JournalOutcome: Sendable {
    private struct State {
        var settled: LedgerError??
        var waiters: [UUID: CheckedContinuation<LedgerError?, Never>] = [:]
    }

    private let state = Mutex(State())

    /// An outcome not settled yet.
    public init() {}

    /// Settles the outcome (the first call wins) and wakes every waiter.
    public func settle(_ failure: LedgerError?) {
        let waiters = state.withLock { state -> [CheckedContinuation<LedgerError?, Never>] in
            guard state.settled == nil else { return [] }
            state.settled = .some(failure)
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: failure) }
    }

    /// Waits until the outcome is settled and returns it; nil at once when the task is cancelled.
    public func value() async -> LedgerError? {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<LedgerError?, Never>) in
                let ready = state.withLock { state -> LedgerError?? in
                    if let settled = state.settled { return .some(settled) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = waiter
                    return nil
                }
                if let ready { waiter.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }
}
