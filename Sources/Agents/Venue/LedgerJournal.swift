import Ledger
import Synchronization
import Trading

/// The venue's journal in a deployment: batches are group-committed to a `LedgerStore` (SQLite,
/// durable on commit) by a `LedgerWriter` on a thread of its own.
///
/// A failed transaction is fatal: every commit waiting then and later throws, and `failure()`
/// returns the error so a service can shut the process down rather than answer with state it
/// could not make durable (a restart restores from the ledger).
public final class LedgerJournal: VenueJournal {
    /// The ledger written to.
    public let store: LedgerStore
    private let writer: LedgerWriter
    private let closed = Mutex(false)
    private let outcome: JournalOutcome

    /// Starts writing to `store`.
    public init(store: LedgerStore) {
        let outcome = JournalOutcome()
        self.store = store
        self.outcome = outcome
        writer = LedgerWriter(store: store) { message in outcome.settle(LedgerError(message)) }
    }

    public func recordedState() throws -> VenueSnapshot { try store.venueSnapshot() }

    /// The ledger: a result is read back from it only once it is many orders old, long after
    /// its batch was committed.
    public var clientOrderArchive: (any ClientOrderArchive)? { store }

    public func append(_ batch: LedgerBatch) -> JournalCommit {
        // Under the lock, so no batch is queued after `close` told the writer to stop: it would
        // never be written and its waiter never woken.
        closed.withLock { closed in
            closed ? .failed(Self.closedError(store)) : JournalCommit(writer.enqueue(batch))
        }
    }

    public func barrier() -> JournalCommit {
        closed.withLock { closed in
            closed ? .failed(Self.closedError(store)) : JournalCommit(writer.barrier())
        }
    }

    public func close() async {
        closed.withLock { $0 = true }
        await writer.close()
        outcome.settle(nil)
    }

    public func failure() async -> LedgerError? { await outcome.value() }

    /// Group commits so far.
    public var stats: LedgerWriter.Stats { writer.stats }

    private static func closedError(_ store: LedgerStore) -> LedgerError {
        LedgerError("the ledger at \(store.path) is closed (the venue is shutting down)")
    }
}
