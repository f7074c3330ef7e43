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
    private enum Point: Sendable {
        case done
        /// A `LedgerWriter`'s own commit, held as it is: no closure made per commit.
        case ledger(LedgerWriter.Commit)
        case waiter(@Sendable () async throws -> Void, isDone: (@Sendable () -> Bool)?)
    }

    private let point: Point

    /// A commit that is done once `wait` returns; `wait` throws when the journal failed.
    /// `isDone`, when given, tells without waiting whether it is done already.
    public init(wait: @escaping @Sendable () async throws -> Void, isDone: (@Sendable () -> Bool)? = nil) {
        point = .waiter(wait, isDone: isDone)
    }

    /// The ledger writer's `commit`.
    public init(_ commit: LedgerWriter.Commit) { point = .ledger(commit) }

    private init(_ point: Point) { self.point = point }

    /// A commit that is already done (nothing was written).
    public static var done: JournalCommit { JournalCommit(Point.done) }

    /// A commit that can never be done: waiting on it throws `error`.
    public static func failed(_ error: any Error) -> JournalCommit { JournalCommit { throw error } }

    /// Returns once the batches up to this point are durable; throws when they cannot be.
    public func wait() async throws {
        switch point {
        case .done: return
        case .ledger(let commit): try await commit.wait()
        case .waiter(let wait, _): try await wait()
        }
    }

    /// Whether the batches up to this point are known to be durable already, so `wait` would
    /// return at once: false while they are not, when the journal failed, and for a commit made
    /// from a `wait` closure without `isDone`, which cannot be asked without waiting.
    public var isDone: Bool {
        switch point {
        case .done: true
        case .ledger(let commit): commit.isDone
        case .waiter(_, let isDone): isDone?() ?? false
        }
    }
}
