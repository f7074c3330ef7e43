import Ledger
import Trading

/// Where the venue makes what it did durable: the MarketMaker's persistence port.
///
/// The venue appends one `LedgerBatch` per operation while it still holds its state, so batches
/// reach the journal in the order the venue made them; whoever must not answer before a batch is
/// durable waits on the returned commit. `LedgerJournal` (a `LedgerWriter` over a `LedgerStore`)
/// is the real one; tests hold commits back or make them fail.
public protocol VenueJournal: Sendable {
    /// The venue state recorded so far (holdings, resting book, remembered client order ids),
    /// restored when the venue starts.
    func recordedState() throws -> VenueSnapshot
    /// Queues `batch` behind every batch appended before it. An empty batch writes nothing and
    /// returns a commit that waits for the batches before it.
    func append(_ batch: LedgerBatch) -> JournalCommit
    /// A commit covering everything appended so far.
    func barrier() -> JournalCommit
    /// Commits what is queued and stops writing; later appends fail.
    func close() async
    /// Waits until the journal fails, returning why, or until it is closed (nil). Returns nil
    /// when the calling task is cancelled.
    func failure() async -> LedgerError?
    /// Where every client order id's first result can be read back once it is durable, so
    /// the venue may keep only recent ones in memory; nil when the journal keeps none.
    var clientOrderArchive: (any ClientOrderArchive)? { get }
}

extension VenueJournal {
    /// No archive: the venue keeps every client order id in memory.
    public var clientOrderArchive: (any ClientOrderArchive)? { nil }
}

/// A point in a journal's write order: done once every batch appended up to it is durable.
public struct JournalCommit: Sendable {
    private let waiter: (@Sendable () async throws -> Void)?

    /// A commit that is done once `wait` returns; `wait` throws when the journal failed.
    public init(wait: @escaping @Sendable () async throws -> Void) { waiter = wait }

    private init() { waiter = nil }

    /// A commit that is already done (nothing was written).
    public static var done: JournalCommit { JournalCommit() }

    /// A commit that can never be done: waiting on it throws `error`.
    public static func failed(_ error: any Error) -> JournalCommit { JournalCommit { throw error } }

    /// Returns once the batches up to this point are durable; throws when they cannot be.
    public func wait() async throws { try await waiter?() }
}
