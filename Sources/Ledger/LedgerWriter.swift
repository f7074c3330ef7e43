/// Commits the venue's ledger batches on a thread of its own, many batches per transaction
/// (see `GroupCommitWriter`): the venue enqueues each batch while it still holds its state, and
/// whoever must not answer before a batch is durable awaits its commit.
public typealias LedgerWriter = GroupCommitWriter<LedgerStore, LedgerBatch>

extension GroupCommitWriter where Store == LedgerStore, Item == LedgerBatch {
    /// Starts the writer thread for `store`. `onFailure` runs once, on the writer thread, when a
    /// transaction fails. The log is checkpointed by the writer once a commit's batches are
    /// acknowledged (`LedgerStore.checkpointIfDue(moreWaiting:)`); a checkpoint that fails is
    /// tried again after the next commit, and every commit stays durable in the log meanwhile.
    public convenience init(store: LedgerStore, onFailure: @escaping @Sendable (String) -> Void) {
        self.init(store: store, path: store.path, thread: "ledger-writer", write: { try $0.record($1) }, onFailure: onFailure,
                  afterCommit: { store, moreWaiting in _ = try? store.checkpointIfDue(moreWaiting: moreWaiting) })
    }

    /// Queues `batch` behind every batch queued before it; an empty batch writes nothing and
    /// returns a commit covering the batches before it.
    public func enqueue(_ batch: LedgerBatch) -> Commit { enqueue(batch.isEmpty ? [] : [batch]) }
}
