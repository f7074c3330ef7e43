import Foundation
import Synchronization

/// How a `GroupCommitWriter`'s commits are made: the writer thread's turns, a commit handed to
/// the scheduler, and the transaction itself with the waiters it resumes.
extension GroupCommitWriter {
    /// The writer thread: commits what is queued, sleeps while nothing is, and finishes once
    /// closed or after a failed commit.
    func run() {
        while true {
            // Beside a scheduler, a commit it runs may be under way: the thread's waits for it.
            let step = policy == nil ? commitTaken() : committing.withLock { _ in commitTaken() }
            switch step {
            case .committed: break
            case .nothing: wakeWriter.wait(); continue
            case .stop, .failed: return finish()
            }
            if let afterCommit { afterCommit(store, state.withLock { !$0.queue.isEmpty }) }
        }
    }

    /// What one turn of the writer thread did.
    enum ThreadStep { case committed, nothing, stop, failed }

    /// The writer thread's turn: commits what is queued, if anything.
    func commitTaken() -> ThreadStep {
        let (items, last, stop) = take()
        if items.isEmpty { return stop ? .stop : .nothing }
        // A commit the scheduler ran failed: nothing after it is written.
        if policy != nil, state.withLock({ $0.failure != nil }) { return .failed }
        return commit(items, upTo: last, waitingForLock: true) == .failed ? .failed : .committed
    }

    /// Takes the queue: the items, the sequence number of the last, and whether `close` was
    /// called.
    func take() -> (items: [Item], last: Int, stopping: Bool) {
        state.withLock { state in
            let items = state.queue
            state.queue.removeAll(keepingCapacity: true)
            if items.isEmpty { state.writerIdle = true } else { state.takenThrough = state.enqueued }
            state.commitScheduled = false
            return (items, state.enqueued, state.stopping)
        }
    }

    /// A commit handed to the scheduler (or to `retryLater`): writes what is queued now, unless
    /// the store failed or the writer finished. Found the write lock held, it puts the items
    /// back at the head of the queue and has `retryLater` run a commit, unless one is scheduled;
    /// beside a writer thread, it wakes the thread instead, which waits for the lock.
    func runScheduledCommit(closing: Bool = false) {
        committing.withLock { _ in
            let (items, last, _) = take()
            guard !items.isEmpty, state.withLock({ !$0.finished && $0.failure == nil }) else { return }
            switch commit(items, upTo: last, waitingForLock: closing || (retryLater == nil && !threaded), scheduled: true) {
            case .committed: break
            case .failed: if !threaded { finish() }
            case .lockBusy where threaded:
                // The thread waits for the lock instead (once this commit lets it write).
                let wakes = state.withLock { state -> Bool in
                    state.queue = items + state.queue
                    let wakes = state.writerIdle
                    state.writerIdle = false
                    return wakes
                }
                if wakes { wakeWriter.signal() }
            case .lockBusy:
                let retries = state.withLock { state -> Bool in
                    state.queue = items + state.queue
                    guard !state.commitScheduled else { return false }
                    state.commitScheduled = true
                    return true
                }
                if retries, let retryLater { retryLater { [self] in runScheduledCommit() } }
            }
        }
    }

    /// How a transaction went.
    enum Outcome { case committed, failed, lockBusy }

    /// Writes `items` in one transaction and resumes the waiters it covers. `failed`: the
    /// failure is reported and every waiter has it; `lockBusy` (only without `waitingForLock`):
    /// nothing was written and nobody resumed.
    func commit(_ items: [Item], upTo last: Int, waitingForLock: Bool, scheduled: Bool = false) -> Outcome {
        var failure: LedgerError?
        do {
            try write(store, items, waitingForLock)
        } catch is StoreLockBusy where !waitingForLock {
            return .lockBusy
        } catch {
            failure = error as? LedgerError ?? LedgerError("cannot write the store at \(path): \(error)")
        }
        let ready = state.withLock { state -> [UnsafeContinuation<Void, any Error>] in
            if let failure {
                state.failure = failure
                state.queue.removeAll()
                defer { state.waiters.removeAll() }
                return state.waiters.map(\.continuation)
            }
            state.committed = last
            state.stats.items += items.count
            state.stats.transactions += 1
            if scheduled && threaded { state.stats.scheduledBesideThread += 1 }
            var ready: [UnsafeContinuation<Void, any Error>] = []
            state.waiters.removeAll { waiter in
                guard waiter.sequence <= last else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        if let failure {
            // Fail-stop first, so nobody acts on the failure before the process is told.
            onFailure(failure.message)
            for continuation in ready { continuation.resume(throwing: failure) }
            return .failed
        }
        for continuation in ready { continuation.resume() }
        return .committed
    }

    /// Stops taking commits: waiters left get the failure or learn that the writer closed, and
    /// `close` returns.
    func finish() {
        let (closers, abandoned, failure) = state.withLock { state in
            state.finished = true
            defer { state.closers.removeAll(); state.waiters.removeAll() }
            return (state.closers, state.waiters.map(\.continuation), state.failure)
        }
        for waiter in abandoned { waiter.resume(throwing: failure ?? closedError) }
        for done in closers { done.resume() }
    }
}
