import Foundation
import Synchronization

/// Commits ledger batches on a thread of its own, many batches per transaction (group commit).
///
/// `enqueue` is synchronous and cheap, so the venue can call it while it still holds its state
/// and batches reach the file in the order the venue made them. Whoever must not answer before
/// the batch is durable awaits the returned `Commit`. While one transaction is being written and
/// synced, the batches that arrive queue up and the next transaction takes them all: one fsync
/// covers as many orders as came in during the previous one, and no order waits for more than
/// two commits. The fsync never runs on Swift's shared thread pool.
///
/// A failed transaction is fatal: every waiter, current and later, gets the error, and
/// `onFailure` is called once so the process can stop rather than carry on with state it could
/// not make durable.
public final class LedgerWriter: Sendable {
    /// A point in the write order: done once every batch enqueued up to it is committed.
    public struct Commit: Sendable {
        let sequence: Int
        let writer: LedgerWriter?

        /// A commit that is already done (nothing was written).
        public static var done: Commit { Commit(sequence: 0, writer: nil) }

        /// Returns once the batches up to this point are on disk; throws when the ledger failed.
        public func wait() async throws {
            guard let writer else { return }
            try await writer.wait(for: sequence)
        }
    }

    /// How much grouping happened so far.
    public struct Stats: Sendable, Hashable {
        /// Batches committed.
        public var batches = 0
        /// Transactions (each one fsync) that committed them.
        public var transactions = 0
    }

    private struct State {
        var queue: [LedgerBatch] = []
        var enqueued = 0
        var committed = 0
        var failure: LedgerError?
        var waiters: [(sequence: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var writerIdle = false
        var stopping = false
        var finished = false
        var closers: [CheckedContinuation<Void, Never>] = []
        var stats = Stats()
    }

    /// The store written to.
    public let store: LedgerStore
    private let state = Mutex(State())
    private let wakeWriter = DispatchSemaphore(value: 0)
    private let onFailure: @Sendable (String) -> Void

    /// Starts the writer thread for `store`. `onFailure` runs once, on the writer thread, when a
    /// transaction fails.
    public init(store: LedgerStore, onFailure: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.onFailure = onFailure
        let thread = Thread { [self] in run() }
        thread.name = "ledger-writer"
        thread.start()
    }

    /// Queues `batch` behind every batch queued before it. An empty batch writes nothing and
    /// returns a commit that waits for the batches before it, so a reply never overtakes the
    /// durability of what it may have seen.
    public func enqueue(_ batch: LedgerBatch) -> Commit {
        let (sequence, wake) = state.withLock { state -> (Int, Bool) in
            guard !batch.isEmpty else { return (state.enqueued, false) }
            state.queue.append(batch)
            state.enqueued += 1
            let wake = state.writerIdle
            state.writerIdle = false
            return (state.enqueued, wake)
        }
        if wake { wakeWriter.signal() }
        return sequence == 0 ? .done : Commit(sequence: sequence, writer: self)
    }

    /// A commit covering everything enqueued so far: waiting on it gives read-your-writes
    /// against the disk for a reader of the venue's state.
    public func barrier() -> Commit {
        let sequence = state.withLock { $0.enqueued }
        return Commit(sequence: sequence, writer: self)
    }

    /// Grouping so far.
    public var stats: Stats { state.withLock { $0.stats } }

    /// Commits what is queued, then stops the thread. Later enqueues are never written.
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
                state.waiters.append((sequence, continuation))
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    private func run() {
        while true {
            let (batches, last, stop) = state.withLock { state -> ([LedgerBatch], Int, Bool) in
                let batches = state.queue
                state.queue.removeAll(keepingCapacity: true)
                if batches.isEmpty { state.writerIdle = true }
                return (batches, state.enqueued, state.stopping)
            }
            if batches.isEmpty {
                if stop { break }
                wakeWriter.wait()
                continue
            }
            let outcome: LedgerError?
            do {
                try store.record(batches)
                outcome = nil
            } catch {
                outcome = error as? LedgerError ?? LedgerError("cannot write the ledger at \(store.path): \(error)")
            }
            let ready = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
                if let outcome {
                    state.failure = outcome
                    defer { state.waiters.removeAll() }
                    return state.waiters.map(\.continuation)
                }
                state.committed = last
                state.stats.batches += batches.count
                state.stats.transactions += 1
                var ready: [CheckedContinuation<Void, any Error>] = []
                state.waiters.removeAll { waiter in
                    guard waiter.sequence <= last else { return false }
                    ready.append(waiter.continuation)
                    return true
                }
                return ready
            }
            if let outcome {
                // Fail-stop first, so nobody acts on the failure before the process is told.
                onFailure(outcome.message)
                for continuation in ready { continuation.resume(throwing: outcome) }
                // Nothing after a failed transaction may be written: it could depend on it.
                state.withLock { $0.queue.removeAll() }
                break
            }
            for continuation in ready { continuation.resume() }
        }
        let closers = state.withLock { state in
            state.finished = true
            defer { state.closers.removeAll() }
            return state.closers
        }
        for done in closers { done.resume() }
    }
}
