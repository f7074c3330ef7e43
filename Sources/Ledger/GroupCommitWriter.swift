import Foundation
import Instrumentation
import Synchronization

/// Writes items to a store, many items per transaction (group commit): on a thread of its own,
/// or where a scheduler runs its commits (a message loop's end of iteration, say).
///
/// `enqueue` is synchronous and cheap, so a caller can enqueue while it still holds the state the
/// items describe, and items reach the store in the order they were enqueued. Whoever must not
/// act before an item is durable awaits the returned `Commit`. Items that nobody waits for yet
/// can be queued with `enqueueDeferred`: they do not wake the writer, and go into the next
/// transaction that an `enqueue`, a wait or `close` starts. While one transaction is being
/// written and synced, the items that arrive queue up and the next transaction takes them all:
/// one fsync covers everything that came in during the previous one, and no item waits for more
/// than two commits. The fsync never runs on Swift's shared thread pool.
///
/// With a scheduler (`init(store:path:scheduler:write:onFailure:)`) there is no thread: the first
/// item or wait that needs a commit hands one commit to the scheduler, and that commit writes
/// everything queued by the time it runs, in one transaction, then resumes the waiters it covers
/// on the scheduler's thread. For stores whose commit is a write to the operating system (WAL
/// without an fsync per commit), where a thread hand-off costs more than the write. Given
/// `retryLater`, such a commit does not wait for a write lock another connection holds (the
/// store's checkpointer): `write` is told not to wait, and when it throws `StoreLockBusy` the
/// items go back to the head of the queue and `retryLater` runs the commit again a little later,
/// so the scheduler's thread goes on with its other work meanwhile. `close` waits for the lock.
///
/// A failed transaction is fatal: every waiter, current and later, gets the error, nothing
/// queued after it is written (it could depend on it), and `onFailure` is called once so the
/// process can stop rather than carry on with state it could not make durable. Waiting for items
/// that were never written because the writer was closed throws as well.
///
/// The entry points other modules call are prespecialized (`@_specialize(exported:)`) for this
/// module's two writers, the director's journal and the ledger writer: their callers run code
/// made for those types, not generic code that looks up metadata on every call.
public final class GroupCommitWriter<Store: Sendable, Item: Sendable>: Sendable {
    /// The queue, the waiters and the counts, under `state`'s lock (read by `Commit` too).
    struct State {
        var queue: [Item] = []
        var enqueued = 0
        var committed = 0
        var failure: LedgerError?
        var waiters: [(sequence: Int, continuation: UnsafeContinuation<Void, any Error>)] = []
        var writerIdle = false
        var stopping = false
        var finished = false
        var closers: [CheckedContinuation<Void, Never>] = []
        var stats = Stats()
        /// With a scheduler: a commit is handed to it and has not yet taken the queue.
        var commitScheduled = false
        /// The sequence number of the last item a commit has taken from the queue: a waiter for
        /// it or an earlier one is resumed by that commit (or told of its failure), and asks
        /// for no other.
        var takenThrough = 0
    }

    /// The store written to.
    public let store: Store
    let state = Mutex(State())
    private let wakeWriter = DispatchSemaphore(value: 0)
    /// Writes one transaction; the flag says whether it may wait for the store's write lock.
    private let write: @Sendable (Store, [Item], _ waitingForLock: Bool) throws -> Void
    private let path: String
    private let onFailure: @Sendable (String) -> Void
    /// Run by the writer thread after each commit's waiters are resumed, with whether more items
    /// wait: upkeep of the store (a log checkpoint) that no waiter should wait for.
    private let afterCommit: (@Sendable (Store, _ moreWaiting: Bool) -> Void)?
    /// Where commits run when there is no writer thread.
    private let scheduler: (@Sendable (@escaping @Sendable () -> Void) -> Void)?
    /// Where a scheduled commit that found the write lock held runs again; nil: commits wait.
    private let retryLater: (@Sendable (@escaping @Sendable () -> Void) -> Void)?
    /// Held by a scheduled commit from taking the queue to resuming its waiters, so two never
    /// interleave (a commit run by `close` after the scheduler's thread stopped, say).
    private let committing = Mutex(())

    /// Starts a writer thread named `thread` (`ThreadNaming`) that commits to `store` (at `path`) with `write`,
    /// one transaction per call. `onFailure` runs once, on the writer thread, when a
    /// transaction fails. `afterCommit` runs on the writer thread after each successful commit,
    /// once its waiters have been resumed, with whether more items are queued.
    public init(store: Store, path: String, thread name: String, write: @escaping @Sendable (Store, [Item]) throws -> Void,
                onFailure: @escaping @Sendable (String) -> Void,
                afterCommit: (@Sendable (Store, _ moreWaiting: Bool) -> Void)? = nil) {
        self.store = store
        self.write = { store, items, _ in try write(store, items) }
        self.path = path
        self.onFailure = onFailure
        self.afterCommit = afterCommit
        self.scheduler = nil
        self.retryLater = nil
        let thread = Thread { [self] in
            ThreadNaming.nameCurrentThread(name)
            run()
        }
        thread.start()
    }

    /// A writer without a thread: each commit is handed to `scheduler`, which must run it soon
    /// and one at a time (a message loop's `atIterationEnd`), on a thread that may wait for the
    /// store's write. `onFailure` runs once, where the failed commit ran.
    public convenience init(store: Store, path: String, scheduler: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
                            write: @escaping @Sendable (Store, [Item]) throws -> Void, onFailure: @escaping @Sendable (String) -> Void) {
        self.init(store: store, path: path, scheduler: scheduler, retryLater: nil, write: { store, items, _ in try write(store, items) },
                  onFailure: onFailure)
    }

    /// A writer without a thread whose commits, given `retryLater`, never wait for the store's
    /// write lock: `write` gets `waitingForLock` false from every scheduled commit (true from
    /// `close`, and from every commit without `retryLater`), and a commit that throws
    /// `StoreLockBusy` is run again by `retryLater` (a message loop's timer), which must run it on
    /// the scheduler's thread.
    public init(store: Store, path: String, scheduler: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
                retryLater: (@Sendable (@escaping @Sendable () -> Void) -> Void)?,
                write: @escaping @Sendable (Store, [Item], _ waitingForLock: Bool) throws -> Void,
                onFailure: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.write = write
        self.path = path
        self.onFailure = onFailure
        self.afterCommit = nil
        self.scheduler = scheduler
        self.retryLater = retryLater
    }

    /// Queues `items` behind everything queued before them. No items writes nothing and returns
    /// a commit that waits for the items before, so nobody acts ahead of the durability of what
    /// it may have seen.
    @_specialize(exported: true, where Store == DirectorStore, Item == DirectorChange)
    @_specialize(exported: true, where Store == LedgerStore, Item == LedgerBatch)
    public func enqueue(_ items: [Item]) -> Commit { enqueue(items, wake: true) }

    /// Queues `items` behind everything queued before them without waking the writer: they are
    /// written by the next transaction, which the next `enqueue`, a wait for any commit at or
    /// after them, or `close` starts. For items nobody needs on disk before a later commit that
    /// will be waited for: they share its transaction, and a process killed before it loses them.
    @_specialize(exported: true, where Store == DirectorStore, Item == DirectorChange)
    @_specialize(exported: true, where Store == LedgerStore, Item == LedgerBatch)
    public func enqueueDeferred(_ items: [Item]) -> Commit { enqueue(items, wake: false) }

    private func enqueue(_ items: [Item], wake: Bool) -> Commit {
        let (sequence, wakes) = state.withLock { state -> (Int, Bool) in
            guard !items.isEmpty else { return (state.enqueued, false) }
            // Mostly the queue is empty (a commit took it): taking the array as it is spares
            // `append(contentsOf:)`, which this generic closure calls unspecialized.
            if state.queue.isEmpty { state.queue = items } else { state.queue.append(contentsOf: items) }
            state.enqueued += items.count
            guard wake else { return (state.enqueued, false) }
            return (state.enqueued, needsCommit(&state))
        }
        if wakes { startCommit() }
        return sequence == 0 ? .done : Commit(sequence: sequence, writer: self)
    }

    /// Called under the lock when something must be committed: whether `startCommit` must run.
    private func needsCommit(_ state: inout State) -> Bool {
        if scheduler != nil {
            guard !state.commitScheduled, !state.finished, state.failure == nil else { return false }
            state.commitScheduled = true
            return true
        }
        let wakes = state.writerIdle
        state.writerIdle = false
        return wakes
    }

    /// Wakes the writer thread, or hands a commit to the scheduler.
    private func startCommit() {
        guard let scheduler else {
            wakeWriter.signal()
            return
        }
        scheduler { [self] in runScheduledCommit() }
    }

    /// A commit covering everything enqueued so far.
    @_specialize(exported: true, where Store == DirectorStore, Item == DirectorChange)
    @_specialize(exported: true, where Store == LedgerStore, Item == LedgerBatch)
    public func barrier() -> Commit { enqueue([]) }

    /// Grouping so far.
    public var stats: Stats { state.withLock { $0.stats } }

    /// Commits what is queued, then stops (its thread, or taking commits from its scheduler).
    /// Items queued once it has finished are never written.
    public func close() async {
        if let scheduler {
            return await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let finished = state.withLock { state -> Bool in
                    if !state.finished { state.closers.append(done) }
                    return state.finished
                }
                if finished { return done.resume() }
                scheduler { [self] in
                    runScheduledCommit(closing: true)
                    finish()
                }
            }
        }
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

    private var closedError: LedgerError { LedgerError("the store at \(path) is closed; not recorded") }

    /// Waits until the commit of `sequence` (or the writer's failure or end). Unchecked: a waiter
    /// is resumed only after it has been taken out of `waiters` under the lock, so once; a checked
    /// continuation would allocate a canary on every commit waited for (docs/PERFORMANCE.md,
    /// change 60).
    func wait(for sequence: Int) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let (outcome, wakes) = state.withLock { state -> (Result<Void, LedgerError>?, Bool) in
                if let failure = state.failure { return (.failure(failure), false) }
                if state.committed >= sequence { return (.success(()), false) }
                if state.finished { return (.failure(closedError), false) }
                state.waiters.append((sequence, continuation))
                // A commit being written covers it already (a scheduled one has taken its items
                // and is between `take` and resuming its waiters).
                if sequence <= state.takenThrough { return (nil, false) }
                // Deferred items wait for someone to need them: this waiter does.
                return (nil, needsCommit(&state))
            }
            if wakes { startCommit() }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    private func run() {
        while true {
            let (items, last, stop) = take()
            if items.isEmpty {
                if stop { break }
                wakeWriter.wait()
                continue
            }
            if commit(items, upTo: last, waitingForLock: true) == .failed { break }
            if let afterCommit { afterCommit(store, state.withLock { !$0.queue.isEmpty }) }
        }
        finish()
    }

    /// Takes the queue: the items, the sequence number of the last, and whether `close` was
    /// called.
    private func take() -> (items: [Item], last: Int, stopping: Bool) {
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
    /// back at the head of the queue and has `retryLater` run a commit, unless one is scheduled.
    private func runScheduledCommit(closing: Bool = false) {
        committing.withLock { _ in
            let (items, last, _) = take()
            guard !items.isEmpty, state.withLock({ !$0.finished && $0.failure == nil }) else { return }
            switch commit(items, upTo: last, waitingForLock: closing || retryLater == nil) {
            case .committed: break
            case .failed: finish()
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
    private enum Outcome { case committed, failed, lockBusy }

    /// Writes `items` in one transaction and resumes the waiters it covers. `failed`: the
    /// failure is reported and every waiter has it; `lockBusy` (only without `waitingForLock`):
    /// nothing was written and nobody resumed.
    private func commit(_ items: [Item], upTo last: Int, waitingForLock: Bool) -> Outcome {
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
    private func finish() {
        let (closers, abandoned, failure) = state.withLock { state in
            state.finished = true
            defer { state.closers.removeAll(); state.waiters.removeAll() }
            return (state.closers, state.waiters.map(\.continuation), state.failure)
        }
        for waiter in abandoned { waiter.resume(throwing: failure ?? closedError) }
        for done in closers { done.resume() }
    }
}
