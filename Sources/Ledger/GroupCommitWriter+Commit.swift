import Synchronization

extension GroupCommitWriter {
    /// A point in the write order: done once every item enqueued up to it is committed.
    public struct Commit: Sendable {
        let sequence: Int
        let writer: GroupCommitWriter?

        /// A commit that is already done (nothing was written).
        public static var done: Commit { Commit(sequence: 0, writer: nil) }

        /// Returns once the items up to this point are on disk; throws when the store failed or
        /// the writer closed before writing them.
        @_specialize(exported: true, where Store == DirectorStore, Item == DirectorChange)
        @_specialize(exported: true, where Store == LedgerStore, Item == LedgerBatch)
        public func wait() async throws {
            guard let writer else { return }
            try await writer.wait(for: sequence)
        }

        /// Whether the items up to this point are on disk already, so `wait` would return at
        /// once: a look, under the writer's lock, that neither waits nor starts a commit.
        public var isDone: Bool {
            @_specialize(exported: true, where Store == DirectorStore, Item == DirectorChange)
            @_specialize(exported: true, where Store == LedgerStore, Item == LedgerBatch)
            get {
                guard let writer else { return true }
                return writer.state.withLock { $0.failure == nil && $0.committed >= sequence }
            }
        }
    }

    /// How much grouping happened so far.
    public struct Stats: Sendable, Hashable {
        /// Items committed.
        public var items = 0
        /// Transactions (each one fsync) that committed them.
        public var transactions = 0
        /// Of those, the ones the scheduler ran, where the writer has a thread as well.
        public var scheduledBesideThread = 0
        /// Times commits moved between the scheduler and the thread (`HybridCommitPolicy`).
        public var moves = 0
    }
}
