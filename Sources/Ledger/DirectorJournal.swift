/// Commits the TradingDirector's changes on a thread of its own, grouped (see
/// `GroupCommitWriter`): a burst of signals costs a few fsyncs rather than one each. Whoever must
/// not act before a change is durable (send an order, publish a decision) awaits its commit.
public typealias DirectorJournal = GroupCommitWriter<DirectorStore, DirectorChange>

extension GroupCommitWriter where Store == DirectorStore, Item == DirectorChange {
    /// Starts the writer thread for `store`. `onFailure` runs once, on the writer thread, when a
    /// transaction fails.
    public convenience init(store: DirectorStore, onFailure: @escaping @Sendable (String) -> Void) {
        self.init(store: store, path: store.path, thread: "director-journal", write: { try $0.record($1) }, onFailure: onFailure)
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
