/// Commits the venue's ledger batches on a thread of its own, many batches per transaction
/// (see `GroupCommitWriter`): the venue enqueues each batch while it still holds its state, and
/// whoever must not answer before a batch is durable awaits its commit.
public typealias LedgerWriter = GroupCommitWriter<LedgerStore, LedgerBatch>

extension GroupCommitWriter where Store == LedgerStore, Item == LedgerBatch {
    /// Starts the writer thread for `store`. `onFailure` runs once, on the writer thread, when a
    /// transaction fails.
    public convenience init(store: LedgerStore, onFailure: @escaping @Sendable (String) -> Void) {
        self.init(store: store, path: store.path, thread: "ledger-writer", write: { try $0.record($1) }, onFailure: onFailure)
    }

    /// Queues `batch` behind every batch queued before it; an empty batch writes nothing and
    /// returns a commit covering the batches before it.
    public func enqueue(_ batch: LedgerBatch) -> Commit { enqueue(batch.isEmpty ? [] : [batch]) }
}
