import Foundation
import Synchronization

/// Commits the TradingDirector's changes on a thread of its own, grouped: changes enqueued
/// while one transaction is syncing are all written by the next, so a burst of signals costs a
/// few fsyncs rather than one each, and the fsync never runs on Swift's shared thread pool.
///
/// `enqueue` is synchronous and cheap; whoever must not act before the change is durable (send
/// an order, publish a decision) awaits the returned `Commit`. A failed transaction is fatal:
/// every waiter, current and later, gets the error and `onFailure` runs once, so the process
/// stops rather than trade on records it could not keep.
public final class DirectorJournal: Sendable {
    /// A point in the write order: done once every change enqueued up to it is committed.
    public struct Commit: Sendable {
        let sequence: Int
        let journal: DirectorJournal

        /// Returns once the changes up to this point are on disk; throws when the store failed.
        public func wait() async throws {
            try await journal.wait(for: sequence)
        }
    }

    private struct State {
        var queue: [DirectorChange] = []
        var enqueued = 0
        var committed = 0
        var transactions = 0
        var failure: LedgerError?
        var waiters: [(sequence: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var writerIdle = false
        var stopping = false
        var finished = false
        var closers: [CheckedContinuation<Void, Never>] = []
    }

    /// The store written to.
    public let store: DirectorStore
    private let state = Mutex(State())
    private let wakeWriter = DispatchSemaphore(value: 0)
    private let onFailure: @Sendable (String) -> Void

    /// Starts the writer thread for `store`. `onFailure` runs once, on the writer thread, when a
    /// transaction fails.
    public init(store: DirectorStore, onFailure: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.onFailure = onFailure
        let thread = Thread { [self] in run() }
        thread.name = "director-journal"
        thread.start()
    }

    /// Queues `changes` behind everything queued before; the commit covers them and all earlier
    /// changes.
    @discardableResult
    public func enqueue(_ changes: DirectorChange...) -> Commit {
        let (sequence, wake) = state.withLock { state -> (Int, Bool) in
            state.queue.append(contentsOf: changes)
            state.enqueued += changes.count
            let wake = state.writerIdle && !changes.isEmpty
            if wake { state.writerIdle = false }
            return (state.enqueued, wake)
        }
        if wake { wakeWriter.signal() }
        return Commit(sequence: sequence, journal: self)
    }

    /// A commit covering everything enqueued so far.
    public func barrier() -> Commit { enqueue() }

    /// Transactions committed so far (each one fsync), and changes they held.
    public var stats: (transactions: Int, changes: Int) { state.withLock { ($0.transactions, $0.committed) } }

    /// Commits what is queued, then stops the thread. Later changes are never written; waiting
    /// for them throws.
    public func close() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let (finished, wake) = state.withLock { state -> (Bool, Bool) in
                if state.finished { return (true, false) }
                state.stopping = true
                state.closers.append(done)
                let wake = state.writerIdle
                state.writerIdle = false
                return (false, wake)
            }
            if finished { done.resume() }
            if wake { wakeWriter.signal() }
        }
    }

    private func wait(for sequence: Int) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = state.withLock { state -> Result<Void, LedgerError>? in
                if let failure = state.failure { return .failure(failure) }
                if state.committed >= sequence { return .success(()) }
                if state.finished { return .failure(LedgerError("the director store \(store.path) is closed; not recorded")) }
                state.waiters.append((sequence, continuation))
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    private func run() {
        while true {
            let (changes, last, stop) = state.withLock { state -> ([DirectorChange], Int, Bool) in
                let changes = state.queue
                state.queue.removeAll(keepingCapacity: true)
                if changes.isEmpty { state.writerIdle = true }
                return (changes, state.enqueued, state.stopping)
            }
            if changes.isEmpty {
                if stop { break }
                wakeWriter.wait()
                continue
            }
            var failure: LedgerError?
            do {
                try store.record(changes)
            } catch {
                failure = error as? LedgerError ?? LedgerError("cannot write the director store at \(store.path): \(error)")
            }
            let ready = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
                if let failure {
                    state.failure = failure
                    state.queue.removeAll()
                    defer { state.waiters.removeAll() }
                    return state.waiters.map(\.continuation)
                }
                state.committed = last
                state.transactions += 1
                var ready: [CheckedContinuation<Void, any Error>] = []
                state.waiters.removeAll { waiter in
                    guard waiter.sequence <= last else { return false }
                    ready.append(waiter.continuation)
                    return true
                }
                return ready
            }
            if let failure {
                onFailure(failure.message)
                for continuation in ready { continuation.resume(throwing: failure) }
                break
            }
            for continuation in ready { continuation.resume() }
        }
        let (closers, abandoned) = state.withLock { state in
            state.finished = true
            defer { state.closers.removeAll(); state.waiters.removeAll() }
            return (state.closers, state.waiters.map(\.continuation))
        }
        let closed = LedgerError("the director store \(store.path) is closed; not recorded")
        for waiter in abandoned { waiter.resume(throwing: state.withLock { $0.failure } ?? closed) }
        for done in closers { done.resume() }
    }
}
