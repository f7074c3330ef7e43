import Configuration
import Ledger
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// The MarketMaker's state (`VenueBook`: the simulated venue, its feeds, the quoting state, the
/// resting orders' traces) behind a lock. Every operation runs whole under the lock and appends
/// what it changed to the journal before the lock is let go, so the journal sees operations in
/// the order they happened; replies and events wait for the commit.
///
/// A class with a lock rather than an actor: every order calls it several times (the order,
/// its inventory and account events), none of those calls waits for anything, and an actor
/// call costs a switch of executor each way where a lock costs an uncontended atomic.
public final class VenueState: Sendable {
    /// Commits every venue operation, in order; nil runs without persistence.
    public let journal: (any VenueJournal)?
    /// This run's id, chosen at random when the venue starts, so that account versions counted
    /// by an earlier run are never taken for this run's.
    public let epoch: String
    private let book: Mutex<VenueBook>

    /// Builds the venue from the topology and, when a journal is given, restores the state it
    /// recorded (positions, resting orders, remembered client order ids). The first quote of
    /// each feed opens the market at `timestamp`; what it changes is appended to the journal, so
    /// `barrier()` covers it.
    public init(market: MarketSection, accounts: [AccountSection], journal: (any VenueJournal)?, at timestamp: Int64) throws {
        let book = try VenueBook(market: market, accounts: accounts, journal: journal, at: timestamp)
        self.journal = journal
        epoch = book.epoch
        self.book = Mutex(book)
    }

    /// Done once everything the venue has done so far is durable: a reader of the venue's
    /// state waits for it before answering, so nobody acts on a state a crash could undo.
    public func barrier() -> JournalCommit {
        journal?.barrier() ?? .done
    }

    /// Commits what is queued for the journal and stops it; later operations fail to commit.
    public func close() async {
        await journal?.close()
    }

    /// Executes (or replays) an order.
    func submit(_ order: OrderSubmit, trace: TraceContext, at timestamp: Int64) -> VenueBook.Outcome {
        book.withLock { $0.submit(order, trace: trace, at: timestamp) }
    }

    /// Cancels a resting order of `account`; nil when it has no such open order.
    func cancel(orderId: String, account: String, at timestamp: Int64) -> OrderReport? {
        book.withLock { $0.cancel(orderId: orderId, account: account, at: timestamp) }
    }

    /// Replaces a resting order of `account` (see `VenueBook.replace`); nil when it has no such
    /// open order.
    func replace(orderId: String, account: String, qty: Quantity?, price: Price?, trace: TraceContext, at timestamp: Int64) -> OrderReport? {
        book.withLock { $0.replace(orderId: orderId, account: account, qty: qty, price: price, trace: trace, at: timestamp) }
    }

    /// One step of every market feed (see `VenueBook.tick`).
    func tick(at timestamp: Int64) -> VenueBook.Step {
        book.withLock { $0.tick(at: timestamp) }
    }

    /// One refresh of `symbol`'s two-sided quotes; nil when it is not quoted.
    func refreshQuotes(symbol: String, trace: TraceContext, at timestamp: Int64) -> QuoteRefresh? {
        book.withLock { $0.refreshQuotes(symbol: symbol, trace: trace, at: timestamp) }
    }

    /// Symbols quoted two-sided, with their refresh interval in milliseconds.
    var quotedSymbols: [(symbol: String, intervalMs: Int)] {
        book.withLock { $0.quotedSymbols }
    }

    /// Problems reading the market feeds since the last call, for the log.
    func takeFeedProblems() -> [String] {
        book.withLock { $0.takeFeedProblems() }
    }

    /// Positions matching the optional filters and the matching accounts' balances per asset,
    /// with the commit that makes them durable.
    func durablePositions(symbol: String? = nil, account: String? = nil) -> ([PositionPayload], [AccountPayload], JournalCommit) {
        book.withLock { $0.durablePositions(symbol: symbol, account: account) }
    }

    /// Every account's position in `symbol` and its inventory view, with the commit that makes
    /// them durable.
    func durableInventory(of symbol: String) -> (positions: [PositionPayload], states: [InventoryState], commit: JournalCommit) {
        book.withLock { $0.durableInventory(of: symbol) }
    }

    /// Which of `states` just went over their limit (see `VenueBook.newlyOverLimit`).
    func newlyOverLimit(_ states: [InventoryState]) -> [InventoryState] {
        book.withLock { $0.newlyOverLimit(states) }
    }

    /// The `account.<name>` snapshots due, in groups, each with the commit that makes it
    /// durable (see `VenueBook.durableAccountSnapshots`).
    func durableAccountSnapshots(remarked: Bool) -> [VenueBook.DueAccountSnapshots] {
        book.withLock { $0.durableAccountSnapshots(remarked: remarked) }
    }

    /// The client order ids an `account.<name>` event of `account` at `version` names, taken
    /// (see `VenueBook.takeOrderNames`); nil when there are none.
    func takeOrderNames(account: String, through version: UInt64) -> [String]? {
        book.withLock { $0.takeOrderNames(account: account, through: version) }
    }

    /// Whether `account.<name>` snapshots taken early wait to be published (see
    /// `VenueBook.beginChange`).
    var holdsEarlyAccountSnapshots: Bool {
        book.withLock { !$0.earlyAccountSnapshots.isEmpty }
    }

    /// The balances per asset of `account`, or of every account.
    public func accounts(account: String? = nil) -> [AccountPayload] {
        book.withLock { $0.accounts(account: account) }
    }

    /// Positions matching the optional filters, marked at the current mid.
    public func positions(symbol: String? = nil, account: String? = nil) -> [PositionPayload] {
        book.withLock { $0.positions(symbol: symbol, account: account) }
    }
}
