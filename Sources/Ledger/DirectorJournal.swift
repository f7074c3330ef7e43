/// Commits the TradingDirector's changes, grouped (see `GroupCommitWriter`): on a thread of its
/// own when every commit syncs, so a burst of signals costs a few fsyncs rather than one each;
/// otherwise at the end of its message loop's iteration (commits are then writes to the
/// operating system, the store's checkpoints apart), so the changes that one wake-up of the loop
/// made commit together with no thread hand-off; and where the director shares its loop with the
/// other agents (in one process), there while changes come slowly and on a thread of its own
/// while they come fast (`HybridCommitPolicy`), so the loop that bounds their rate does not
/// write under load. Whoever must not act before a change is durable (send an order, publish a
/// decision) awaits its commit.
public typealias DirectorJournal = GroupCommitWriter<DirectorStore, DirectorChange>

extension GroupCommitWriter where Store == DirectorStore, Item == DirectorChange {
    /// Starts the writer thread for `store`. `onFailure` runs once, on the writer thread, when a
    /// transaction fails.
    public convenience init(store: DirectorStore, onFailure: @escaping @Sendable (String) -> Void) {
        self.init(store: store, path: store.path, thread: "director-journal", write: { try $0.record($1) }, onFailure: onFailure)
    }

    /// A journal whose commits `scheduler` runs (a message loop's `atIterationEnd`), each one
    /// taking everything queued by then. `onFailure` runs once, where the failed commit ran.
    /// With `retryLater` (the loop's timer) a commit never waits for the store's checkpointer:
    /// one that finds the write lock held runs again from `retryLater`.
    public convenience init(store: DirectorStore, scheduler: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
                            retryLater: (@Sendable (@escaping @Sendable () -> Void) -> Void)? = nil,
                            onFailure: @escaping @Sendable (String) -> Void) {
        self.init(store: store, path: store.path, scheduler: scheduler, retryLater: retryLater,
                  write: { try $0.record($1, waitingForLock: $2) }, onFailure: onFailure)
    }

    /// A journal whose commits `scheduler` runs (a message loop's `atIterationEnd`) while
    /// changes come slower than `policy` allows, and its `director-journal` thread runs while they
    /// come faster (see `HybridCommitPolicy`). A commit where the scheduler runs it never waits
    /// for the store's checkpointer: one that finds the write lock held goes to the thread.
    public convenience init(store: DirectorStore, scheduler: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
                            policy: HybridCommitPolicy, onFailure: @escaping @Sendable (String) -> Void) {
        self.init(store: store, path: store.path, thread: "director-journal", scheduler: scheduler, policy: policy,
                  write: { try $0.record($1, waitingForLock: $2) }, onFailure: onFailure)
    }

    /// Queues `changes` behind everything queued before; the commit covers them and all earlier
    /// changes.
    @discardableResult
    public func enqueue(_ changes: DirectorChange...) -> Commit { enqueue(changes) }

    /// Queues `changes` without waking the writer: the next commit that is waited for takes
    /// them (see `enqueueDeferred(_:)`).
    @discardableResult
    public func enqueueDeferred(_ changes: DirectorChange...) -> Commit { enqueueDeferred(changes) }
}
