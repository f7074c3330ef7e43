import GRDB
import Synchronization
import Trading

/// The MarketMaker's durable ledger: an SQLite file holding every order result, fill and
/// rejection, the current holdings, the resting book and the order counter, so a restarted
/// venue carries on where the old one stopped.
///
/// `record` is synchronous and durable on return: the file is in WAL mode with
/// `synchronous = FULL`, so each batch's commit reaches the disk before the call returns,
/// and one batch is one transaction, so a crash leaves all of it or none.
///
/// Sendable because its state is GRDB's `DatabaseQueue`, which serialises every access to the
/// connection, and the memory of committed balances, which a mutex guards and only that
/// serialised access changes; several tasks may share one store.
public final class LedgerStore: Sendable {
    /// The database file.
    public let path: String
    let queue: DatabaseQueue
    /// The statements of every commit, prepared once on `queue`'s connection.
    let statements = PreparedStatements()
    /// Writes the order columns; nil leaves them to `Codable`.
    let orderWriter: (any LedgerOrderWriting)?
    /// The asset balances as this store's commits left them, with the connection's
    /// `data_version` then: a batch's balance equal to the one on record is not written again
    /// (a fill moves two of an account's assets, and a batch carries all of them). Another
    /// connection committing changes the version, and the memory is then not trusted.
    private let committedBalances = Mutex<(dataVersion: Int?, amounts: LedgerBalanceMemory)>((nil, LedgerBalanceMemory()))
    /// The log's length after each commit, and when to checkpoint it (nil when read-only).
    let logWatch: LedgerLogWatch?
    /// The page size of a file this store creates. A commit writes a page of each table and
    /// index it changes (the holdings, the balances, the newest orders, events and index
    /// entries: five or six pages, whatever the batch) and an order's row is about 650 bytes,
    /// so half-size pages halve what a commit writes to the log, checksums and syncs
    /// (docs/PERFORMANCE.md, change 143).
    static let pageSize = 2_048

    /// Opens the ledger at `path`, creating the file and its tables if needed. With
    /// `readOnly` (for exporting while the MarketMaker runs) nothing is created and a file
    /// without a complete ledger schema is refused. A ledger of the floating-point schema
    /// (v1) or of the per-symbol balance schema (v2) is refused with a `LedgerError` saying
    /// so; it is not converted. `orderWriter` writes the orders' request and result columns
    /// (the same text `Codable` writes, faster); without one `Codable` writes them.
    /// `checkpointFrames` is the log's length in pages from which `checkpointIfDue` copies it
    /// into the file (see `LedgerLogWatch`); a writable ledger's log file is given room for
    /// twice that many frames when it opens (`LedgerLogReservation`).
    public init(path: String, readOnly: Bool = false, orderWriter: (any LedgerOrderWriting)? = nil, checkpointFrames: Int = 1_000) throws {
        let config = DurableSQLite.configuration(readOnly: readOnly, newFilePageSize: Self.pageSize)
        self.path = path
        self.orderWriter = orderWriter
        let queue = try DatabaseQueue(path: path, configuration: config)
        self.queue = queue
        func written(by schema: String) throws -> Bool {
            try queue.read { db in
                try db.tableExists("grdb_migrations")
                    && (try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier = ?)",
                                          arguments: [schema]) ?? false)
            }
        }
        guard try !written(by: LedgerSchema.floatingPointSchema) else {
            throw LedgerError("\(path) was written by an older version that kept amounts as floating point (ledger schema v1); "
                + "this version keeps exact integer units and does not convert it: move the file away to start a new ledger")
        }
        guard try !written(by: LedgerSchema.perSymbolBalanceSchema) else {
            throw LedgerError("\(path) was written by an older version that kept a quote balance per symbol (ledger schema v2); "
                + "this version keeps one balance per asset (topology \"balances\": {\"USD\": ...}) and cannot split the old "
                + "balances into starting balance and trades: move the file away to start a new ledger")
        }
        if readOnly {
            let complete = try queue.read { try LedgerSchema.migrator.hasCompletedMigrations($0) }
            guard complete else { throw LedgerError("\(path) is not a ledger, or one written by an older version") }
            logWatch = nil
        } else {
            try LedgerSchema.migrator.migrate(queue)
            let logWatch = LedgerLogWatch(dueFrames: checkpointFrames, readahead: try LogReadahead(writer: queue, databasePath: path))
            self.logWatch = logWatch
            try queue.writeWithoutTransaction { db in
                logWatch.hook(db.sqliteConnection)
                try LedgerLogReservation.reserve(db, path: path, frames: logWatch.busyFrames)
            }
        }
    }

    deinit {
        // The hook points at `logWatch`: removed before either goes.
        if logWatch != nil { queue.writeWithoutTransaction { LedgerLogWatch.unhook($0.sqliteConnection) } }
    }

    /// The value of SQLite pragma `name` on the ledger's connection, for checks of how the
    /// file is kept (journal mode, synchronous level).
    func pragma(_ name: String) throws -> String? {
        try queue.read { try String.fetchOne($0, sql: "PRAGMA \(name)") }
    }

    /// Writes `batch` in one transaction, durable when this returns. Nothing is written
    /// if any part fails: a duplicate order id or remembered client order id, a resting
    /// order or status change naming an order the ledger does not hold, a disk error.
    /// An empty batch is skipped without touching the file.
    public func record(_ batch: LedgerBatch) throws {
        try record([batch])
    }

    /// Writes `batches`, in order, in one transaction (one sync to disk for all of them):
    /// all of them or, if any part of any fails, none. Empty batches are skipped.
    public func record(_ batches: [LedgerBatch]) throws {
        let batches = batches.filter { !$0.isEmpty }
        guard !batches.isEmpty else { return }
        // JSON is encoded before taking the write lock, which then covers SQL only.
        let encoded = try batches.map { batch in
            try batch.orders.map { order in
                (order, request: try orderWriter?.json(of: order.request) ?? LedgerJSON.encode(order.request),
                 result: try orderWriter?.json(of: order.result) ?? LedgerJSON.encode(order.result))
            }
        }
        var committed: (dataVersion: Int?, amounts: LedgerBalanceMemory) = (nil, LedgerBalanceMemory())
        try DurableSQLite.transaction(queue, statements) { db in
            // Read under the write lock: no other connection commits until this one has.
            let version = try db.integer("PRAGMA data_version").map(Int.init)
            // Taken out of the mutex, so adding to it copies nothing: with the mutex still
            // holding it, the first change would copy the whole memory (every account's every
            // asset) in each transaction. A transaction that fails leaves the memory empty, and
            // the next one writes every balance it carries.
            var onRecord = committedBalances.withLock { memory in
                defer { memory = (nil, LedgerBalanceMemory()) }
                return memory.dataVersion == version ? memory.amounts : LedgerBalanceMemory()
            }
            for (batch, orders) in zip(batches, encoded) {
                for (order, request, result) in orders { try Self.insert(order, request: request, result: result, db) }
                for change in batch.statusChanges { try Self.update(change, db) }
                for event in batch.events { try Self.insert(event, db) }
                for orderId in batch.restingRemovals { try Self.removeResting(orderId, db) }
                for order in batch.restingUpserts { try Self.upsert(order, db) }
                for balance in batch.balances { try Self.upsert(balance, db) }
                for balance in batch.assetBalances where onRecord.changes(to: balance) { try Self.upsert(balance, db) }
                for payment in batch.funding { try Self.insert(payment, db) }
                for (symbol, time) in batch.fundingTimes.sorted(by: { $0.key < $1.key }) {
                    try Self.setFundingClock(symbol: symbol, time: time, db)
                }
                // The counter a batch's own highest order number already tells is not written
                // (`ordersSubmitted(_:)` reads the larger of the two).
                if let count = batch.ordersSubmitted, count != batch.orders.map(\.number).max() {
                    try db.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value") { b in
                        b.bind(LedgerSchema.ordersSubmittedKey)
                        b.bind(count)
                    }
                }
            }
            committed = (version, onRecord.settled())
        } committed: {
            committedBalances.withLock { $0 = committed }
        }
    }
}
