import Synchronization

/// Assessments waiting for an account event the venue has already sent: the director asks for
/// the account at the version of the last fill it saw, and the venue publishes that version's
/// event as soon as its answer to the order has left, so the event is usually on its way
/// through the bus when the assessment arrives. Each waiter is resumed with true once the book
/// holds the version, with false when the venue's epoch changed or its time is up (the
/// RiskManager then reads the account with `inventory.get`). Timers resume through here without
/// entering the book's actor.
final class AccountVersionWaits: Sendable {
    private struct Waiter {
        let account: String
        let epoch: String
        let version: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private let state = Mutex<(next: Int, waiters: [Int: Waiter])>((0, [:]))

    /// Registers a waiter; returns the id its timer expires it by.
    func add(account: String, epoch: String, version: UInt64, _ continuation: CheckedContinuation<Bool, Never>) -> Int {
        state.withLock { state in
            state.next += 1
            state.waiters[state.next] = Waiter(account: account, epoch: epoch, version: version, continuation: continuation)
            return state.next
        }
    }

    /// The waiter `id`'s time is up: resumed with false, unless already resumed.
    func expire(_ id: Int) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(returning: false)
    }

    /// The book now holds `account` at `version` in `epoch`: waiters for that version or an
    /// earlier one are resumed with true, waiters of another epoch with false.
    func holds(_ account: String, epoch: String, version: UInt64) {
        settle(account) { waiter in waiter.epoch != epoch ? false : waiter.version <= version ? true : nil }
    }

    /// No event will bring `account` up to date (the one that came could not be applied):
    /// its waiters are resumed with false, to ask the venue.
    func abandon(_ account: String) { settle(account) { _ in false } }

    /// Resumes each waiter of `account` for which `outcome` gives a result with that result,
    /// and keeps the others.
    private func settle(_ account: String, _ outcome: (Waiter) -> Bool?) {
        let settled = state.withLock { state -> [(CheckedContinuation<Bool, Never>, Bool)] in
            guard !state.waiters.isEmpty else { return [] }
            var settled: [(CheckedContinuation<Bool, Never>, Bool)] = []
            for (id, waiter) in state.waiters where waiter.account == account {
                guard let result = outcome(waiter) else { continue }
                state.waiters[id] = nil
                settled.append((waiter.continuation, result))
            }
            return settled
        }
        for (continuation, result) in settled { continuation.resume(returning: result) }
    }

    /// Waiters not yet resumed (for tests).
    var count: Int { state.withLock { $0.waiters.count } }
}
