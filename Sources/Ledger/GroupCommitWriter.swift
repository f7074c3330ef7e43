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
/// With both (`init(store:path:thread:scheduler:policy:write:onFailure:)`), commits run where
/// the scheduler runs them while items come slower than the `HybridCommitPolicy` allows, and on
/// the thread while they come faster: a lone item costs no hand-off between threads, and a
/// stream of them does not take the scheduler's thread (a message loop) from its other work.
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
        /// With both a thread and a scheduler: how fast items come, and so where commits run.
        var load = ItemLoad()
        /// The sequence number of the last item a commit has taken from the queue: a waiter for
        /// it or an earlier one is resumed by that commit (or told of its failure), and asks
        /// for no other.
        var takenThrough = 0
    }

    /// The store written to.
    public let store: Store
    let state = Mutex(State())
    let wakeWriter = DispatchSemaphore(value: 0)
    /// Writes one transaction; the flag says whether it may wait for the store's write lock.
    let write: @Sendable (Store, [Item], _ waitingForLock: Bool) throws -> Void
    let path: String
    let onFailure: @Sendable (String) -> Void
    /// Run by the writer thread after each commit's waiters are resumed, with whether more items
    /// wait: upkeep of the store (a log checkpoint) that no waiter should wait for.
    let afterCommit: (@Sendable (Store, _ moreWaiting: Bool) -> Void)?
    /// Where commits run when there is no writer thread, or beside it while items come slowly.
    let scheduler: (@Sendable (@escaping @Sendable () -> Void) -> Void)?
    /// Where a scheduled commit that found the write lock held runs again; nil: commits wait.
    let retryLater: (@Sendable (@escaping @Sendable () -> Void) -> Void)?
    /// Held by a scheduled commit from taking the queue to resuming its waiters, so two never
    /// interleave (a commit run by `close` after the scheduler's thread stopped, say), and with
    /// both a thread and a scheduler by the thread's commits as well, so commits run in the order
    /// they took their items wherever they run.
    let committing = Mutex(())
    /// Whether there is a writer thread.
    let threaded: Bool
    /// With both a thread and a scheduler: when commits leave the scheduler for the thread.
    let policy: HybridCommitPolicy?

    /// Starts a writer thread named `thread` (`ThreadNaming`) that commits to `store` (at `path`) with `write`,
    /// one transaction per call. `onFailure` runs once, on the writer thread, when a
    /// transaction fails. `afterCommit` runs on the writer thread after each successful commit,
    /// once its waiters have been resumed, with whether more items are queued.
    public convenience init(store: Store, path: String, thread name: String, write: @escaping @Sendable (Store, [Item]) throws -> Void,
                            onFailure: @escaping @Sendable (String) -> Void,
                            afterCommit: (@Sendable (Store, _ moreWaiting: Bool) -> Void)? = nil) {
        self.init(store: store, path: path, write: { store, items, _ in try write(store, items) }, onFailure: onFailure,
                  afterCommit: afterCommit, scheduler: nil, retryLater: nil, thread: name, policy: nil)
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
    public convenience init(store: Store, path: String, scheduler: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
                            retryLater: (@Sendable (@escaping @Sendable () -> Void) -> Void)?,
                            write: @escaping @Sendable (Store, [Item], _ waitingForLock: Bool) throws -> Void,
                            onFailure: @escaping @Sendable (String) -> Void) {
        self.init(store: store, path: path, write: write, onFailure: onFailure, afterCommit: nil, scheduler: scheduler,
                  retryLater: retryLater, thread: nil, policy: nil)
    }

    /// A writer thread named `thread` and a `scheduler` (a message loop's `atIterationEnd`)
    /// that share the commits by how fast items come (`policy`): a commit needed while items
    /// come slower is handed to the scheduler, which must run it soon and one at a time, on a
    /// thread that may write the store; faster, to the thread. A commit is handed on only while
    /// the thread has nothing to write and no commit waits for the scheduler, and the two never
    /// write at once, so commits keep the items' order. `write` is told not to wait for the
    /// store's write lock where the scheduler runs it: a commit that finds the lock held goes to
    /// the thread, which waits for it. `onFailure` runs once, where the failed commit ran.
    public convenience init(store: Store, path: String, thread name: String, scheduler: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
                            policy: HybridCommitPolicy, write: @escaping @Sendable (Store, [Item], _ waitingForLock: Bool) throws -> Void,
                            onFailure: @escaping @Sendable (String) -> Void) {
        self.init(store: store, path: path, write: write, onFailure: onFailure, afterCommit: nil, scheduler: scheduler,
                  retryLater: nil, thread: name, policy: policy)
    }

    /// Every writer: with a `thread` name, a writer thread so named (`ThreadNaming`) is started.
    private init(store: Store, path: String, write: @escaping @Sendable (Store, [Item], _ waitingForLock: Bool) throws -> Void,
                 onFailure: @escaping @Sendable (String) -> Void, afterCommit: (@Sendable (Store, _ moreWaiting: Bool) -> Void)?,
                 scheduler: (@Sendable (@escaping @Sendable () -> Void) -> Void)?,
                 retryLater: (@Sendable (@escaping @Sendable () -> Void) -> Void)?, thread name: String?, policy: HybridCommitPolicy?) {
        self.store = store
        self.write = write
        self.path = path
        self.onFailure = onFailure
        self.afterCommit = afterCommit
        self.scheduler = scheduler
        self.retryLater = retryLater
        self.threaded = name != nil
        self.policy = policy
        guard let name else { return }
        let thread = Thread { [self] in
            ThreadNaming.nameCurrentThread(name)
            run()
        }
        thread.start()
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
        let (sequence, start) = state.withLock { state -> (Int, Start) in
            guard !items.isEmpty else { return (state.enqueued, .none) }
            // Mostly the queue is empty (a commit took it): taking the array as it is spares
            // `append(contentsOf:)`, which this generic closure calls unspecialized.
            if state.queue.isEmpty { state.queue = items } else { state.queue.append(contentsOf: items) }
            state.enqueued += items.count
            if let policy { state.load.note(items.count, at: .now, policy) }
            guard wake else { return (state.enqueued, .none) }
            return (state.enqueued, needsCommit(&state))
        }
        startCommit(start)
        return sequence == 0 ? .done : Commit(sequence: sequence, writer: self)
    }

    /// What starts the commit something needs.
    private enum Start {
        /// Nothing: a commit under way or handed on already takes it.
        case none
        /// Waking the writer thread.
        case wake
        /// Handing a commit to the scheduler.
        case schedule
    }

    /// Called under the lock when something must be committed: what `startCommit` must do.
    private func needsCommit(_ state: inout State) -> Start {
        guard threaded else {
            guard !state.commitScheduled, !state.finished, state.failure == nil else { return .none }
            state.commitScheduled = true
            return .schedule
        }
        guard state.failure == nil, state.writerIdle, !state.commitScheduled else { return .none }
        if policy != nil, state.load.inline, !state.stopping, !state.finished {
            state.commitScheduled = true
            return .schedule
        }
        state.writerIdle = false
        return .wake
    }

    /// Wakes the writer thread, or hands a commit to the scheduler.
    private func startCommit(_ start: Start) {
        switch start {
        case .none: break
        case .wake: wakeWriter.signal()
        case .schedule: scheduler? { [self] in runScheduledCommit() }
        }
    }

    /// A commit covering everything enqueued so far.
    @_specialize(exported: true, where Store == DirectorStore, Item == DirectorChange)
    @_specialize(exported: true, where Store == LedgerStore, Item == LedgerBatch)
    public func barrier() -> Commit { enqueue([]) }

    /// Grouping so far.
    public var stats: Stats {
        state.withLock { state in
            var stats = state.stats
            stats.moves = state.load.moves
            return stats
        }
    }

    /// Commits what is queued, then stops (its thread, or taking commits from its scheduler).
    /// Items queued once it has finished are never written.
    public func close() async {
        if !threaded, let scheduler {
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

    var closedError: LedgerError { LedgerError("the store at \(path) is closed; not recorded") }

    /// Waits until the commit of `sequence` (or the writer's failure or end). Unchecked: a waiter
    /// is resumed only after it has been taken out of `waiters` under the lock, so once; a checked
    /// continuation would allocate a canary on every commit waited for (docs/PERFORMANCE.md,
    /// change 60).
    func wait(for sequence: Int) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let (outcome, start) = state.withLock { state -> (Result<Void, LedgerError>?, Start) in
                if let failure = state.failure { return (.failure(failure), .none) }
                if state.committed >= sequence { return (.success(()), .none) }
                if state.finished { return (.failure(closedError), .none) }
                state.waiters.append((sequence, continuation))
                // A commit being written covers it already (a scheduled one has taken its items
                // and is between `take` and resuming its waiters).
                if sequence <= state.takenThrough { return (nil, .none) }
                // Deferred items wait for someone to need them: this waiter does.
                return (nil, needsCommit(&state))
            }
            startCommit(start)
            if let outcome { continuation.resume(with: outcome) }
        }
    }
}
