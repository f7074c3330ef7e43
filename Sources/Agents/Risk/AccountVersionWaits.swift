import Synchronization

/// Assessments waiting for an account event the venue has already sent: the director asks for
/// the account at the version of the last fill it saw, and the venue publishes that version's
/// event as soon as its answer to the order has left, so the event is usually on its way
/// through the bus when the assessment arrives. Each waiter is resumed with true once the book
/// holds the version, with false when the venue's epoch changed or its time is up (the
/// RiskManager then reads the account with `inventory.get`). An assessment asked for after an
/// order (`after_order`) waits the same way for the event that names the order. Timers resume
/// through here without entering the book's actor.
final class AccountVersionWaits: Sendable {
    private struct Waiter {
        let account: String
        let epoch: String
        /// What it waits for: the account at a version, or an event that names an order.
        let awaited: Awaited
        let continuation: CheckedContinuation<Bool, Never>
    }

    private enum Awaited {
        case version(UInt64)
        case order(String)
    }

    private let state = Mutex<(next: Int, waiters: [Int: Waiter], orders: Int)>((0, [:], 0))

    /// Registers a waiter for `account` at `version`; returns the id its timer expires it by.
    func add(account: String, epoch: String, version: UInt64, _ continuation: CheckedContinuation<Bool, Never>) -> Int {
        add(Waiter(account: account, epoch: epoch, awaited: .version(version), continuation: continuation))
    }

    /// Registers a waiter for an event of `account` that names `order`; returns the id its timer
    /// expires it by, or nil (the continuation not kept) when `limit` such waiters wait already.
    func add(account: String, epoch: String, order: String, limit: Int, _ continuation: CheckedContinuation<Bool, Never>) -> Int? {
        let counted = state.withLock { state in
            guard state.orders < limit else { return false }
            state.orders += 1
            return true
        }
        guard counted else { return nil }
        return add(Waiter(account: account, epoch: epoch, awaited: .order(order), continuation: continuation))
    }

    private func add(_ waiter: Waiter) -> Int {
        state.withLock { state in
            state.next += 1
            state.waiters[state.next] = waiter
            return state.next
        }
    }

    /// The waiter `id`'s time is up: resumed with false, unless already resumed.
    func expire(_ id: Int) {
        state.withLock { state in
            let waiter = state.waiters.removeValue(forKey: id)
            if case .order = waiter?.awaited { state.orders -= 1 }
            return waiter
        }?.continuation.resume(returning: false)
    }

    /// The book now holds `account` at `version` in `epoch`: waiters for that version or an
    /// earlier one are resumed with true, waiters of another epoch with false.
    func holds(_ account: String, epoch: String, version: UInt64) {
        settle(account) { waiter in
            guard waiter.epoch == epoch else { return false }
            guard case .version(let awaited) = waiter.awaited else { return nil }
            return awaited <= version ? true : nil
        }
    }

    /// An event of `account` in `epoch` named `orders`, and the book holds what it showed:
    /// waiters for one of those orders are resumed with true.
    func shown(_ account: String, epoch: String, orders: [String]) {
        settle(account) { waiter in
            guard waiter.epoch == epoch, case .order(let order) = waiter.awaited else { return nil }
            return orders.contains(order) ? true : nil
        }
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
                if case .order = waiter.awaited { state.orders -= 1 }
                settled.append((waiter.continuation, result))
            }
            return settled
        }
        for (continuation, result) in settled { continuation.resume(returning: result) }
    }

    /// Waiters not yet resumed (for tests).
    var count: Int { state.withLock { $0.waiters.count } }
}
