import GRDB
import Trading

/// The TradingDirector's analytics: an SQLite file (by default run/analytics.sqlite) of
/// every closed trade and a portfolio snapshot on an interval, which `hedgectl report`
/// reads while the topology runs.
///
/// Kept like the ledger (WAL mode, a busy timeout so a reader and the writer wait for each
/// other instead of failing), with `synchronous = FULL` by default, so each `record` is on disk
/// when it returns. The director opens it as it opens its own store: without `syncEveryCommit`
/// a record survives the director being killed and reaches the disk at the next checkpoint. Numbers that are not finite are refused before anything is written.
///
/// With `checkpointsApart` the log's checkpoints run on a connection and a thread of their own
/// (`WALCheckpointer`), so commits without `syncEveryCommit` never sync.
///
/// Sendable because its state is GRDB's `DatabaseQueue`, which serialises every access to the
/// connection, and the checkpointer, which locks its own; several tasks may share one store.
public final class AnalyticsStore: Sendable {
    /// The database file.
    public let path: String
    let queue: DatabaseQueue
    /// The statements of every commit, prepared once on `queue`'s connection.
    let statements = PreparedStatements()
    let checkpointer: WALCheckpointer?

    /// Opens the analytics file at `path`, creating it and its tables if needed. With
    /// `readOnly` (for reporting while the TradingDirector runs) nothing is created, and a
    /// missing file or one without the analytics tables is refused with a `LedgerError`
    /// naming `path`. Either way a file holding another schema (a ledger) is refused.
    /// `syncEveryCommit` false lowers `synchronous` to NORMAL (see `DurableSQLite`), and then
    /// `checkpointsApart` moves the log's checkpoints off the committing connection.
    public init(path: String, readOnly: Bool = false, syncEveryCommit: Bool = true, checkpointsApart: Bool = false) throws {
        let apart = checkpointsApart && !syncEveryCommit && !readOnly
        var config = DurableSQLite.configuration(readOnly: readOnly, syncEveryCommit: syncEveryCommit)
        if apart { config.prepareDatabase { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") } }
        self.path = path
        let migrator = AnalyticsSchema.migrator
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let (complete, foreign) = try queue.read { db in
                (try migrator.hasCompletedMigrations(db), try migrator.hasBeenSuperseded(db))
            }
            guard !foreign else {
                throw LedgerError("\(path) is not an analytics file of this version: it holds another schema (a ledger?), "
                    + "one from a newer version, or one from an older version that kept amounts as floating point; move it away")
            }
            if readOnly {
                guard complete else { throw LedgerError("\(path) is not an analytics file (no analytics tables), or one written by an older version") }
            } else {
                try migrator.migrate(queue)
            }
            checkpointer = apart ? try WALCheckpointer(path: path, writer: queue) : nil
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("cannot open analytics file \(path)\(readOnly ? " read-only" : ""): \(error)")
        }
    }

    /// Whether commits sync nothing, their log's checkpoints running apart.
    public var checkpointsApart: Bool { checkpointer != nil }

    /// The value of SQLite pragma `name` on the store's connection.
    func pragma(_ name: String) throws -> String? {
        try queue.read { try String.fetchOne($0, sql: "PRAGMA \(name)") }
    }

    /// Writes `trade`, durable when this returns, and gives back its row id. Leave
    /// `trade.id` nil to have one assigned; a trade carrying an id is stored under it and
    /// refused if the file already holds that id. Throws a `LedgerError`, writing
    /// nothing, when a number is not finite or the quantity or a price is not positive.
    @discardableResult
    public func record(_ trade: AnalyticsTrade) throws -> Int64 {
        if let problem = trade.problem { throw LedgerError("not recorded: \(problem)") }
        var id: Int64 = 0
        try DurableSQLite.transaction(queue, statements) { db in id = try Self.insert(trade, into: db) }
        checkpointer?.committed()
        return id
    }

    /// Writes `snapshot`, durable when this returns. Throws a `LedgerError`, writing
    /// nothing, when a number is not finite or the position count is negative.
    public func record(_ snapshot: AnalyticsSnapshot) throws {
        if let problem = snapshot.problem { throw LedgerError("not recorded: \(problem)") }
        try DurableSQLite.transaction(queue, statements) { db in try Self.insert(snapshot, into: db) }
        checkpointer?.committed()
    }

    /// Writes every valid record of `records` in one transaction (one sync for all of them),
    /// durable when this returns, in order. A record with a problem is left out and reported
    /// in the result, one `LedgerError` per record left out; the others are still written. A
    /// failure of the transaction itself throws, writing none of them. Without
    /// `waitingForLock`, a write lock held by the checkpointer throws `StoreLockBusy`.
    @discardableResult
    public func record(_ records: [AnalyticsRecord], waitingForLock: Bool = true) throws -> [LedgerError] {
        var refused: [LedgerError] = []
        var valid: [AnalyticsRecord] = []
        valid.reserveCapacity(records.count)
        for record in records {
            if let problem = record.problem { refused.append(LedgerError("not recorded: \(problem)")) } else { valid.append(record) }
        }
        guard !valid.isEmpty else { return refused }
        try DurableSQLite.transaction(queue, statements, waitingForLock: waitingForLock) { db in
            for record in valid {
                switch record {
                case .trade(let trade): _ = try Self.insert(trade, into: db)
                case .snapshot(let snapshot): try Self.insert(snapshot, into: db)
                }
            }
        }
        checkpointer?.committed()
        return refused
    }

    private static func insert(_ trade: AnalyticsTrade, into db: PreparedDatabase) throws -> Int64 {
        let t = trade.trade
        try db.run("""
            INSERT INTO trades (id, account, symbol, side, qty, entry_price, exit_price, fees, entry_time_us, exit_time_us,
                                opening_signal_id, exit_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            if let id = trade.id { b.bind(id) } else { b.bindNull() }
            b.bind(trade.account)
            b.bind(t.symbol)
            b.bind(t.side.rawValue)
            b.bind(t.qty)
            b.bind(t.entryPrice)
            b.bind(t.exitPrice)
            b.bind(t.fees)
            b.bind(t.entryTimeMicros)
            b.bind(t.exitTimeMicros)
            b.bind(trade.openingSignalId)
            b.bind(trade.exitReason)
        }
        return db.lastInsertedRowID
    }

    private static func insert(_ s: AnalyticsSnapshot, into db: PreparedDatabase) throws {
        try db.run("""
            INSERT INTO snapshots (time_us, account, capital, cash, exposure, exposure_pct, realized_pnl, unrealized_pnl,
                                   open_positions, portfolio_heat)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.bind(s.timeMicros)
            b.bind(s.account)
            b.bind(s.capital)
            b.bind(s.cash)
            b.bind(s.exposure)
            b.bind(s.exposurePct)
            b.bind(s.realizedPnl)
            b.bind(s.unrealizedPnl)
            b.bind(s.openPositions)
            if let heat = s.portfolioHeat { b.bind(heat) } else { b.bindNull() }
        }
    }

    /// The recorded trades, of `account` only when given, in exit-time order (ties in
    /// recording order, i.e. by id).
    public func trades(account: String? = nil) throws -> [AnalyticsTrade] {
        let filter = account == nil ? "" : "WHERE account = ?"
        return try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, account, symbol, side, qty, entry_price, exit_price, fees, entry_time_us, exit_time_us,
                       opening_signal_id, exit_reason
                FROM trades \(filter) ORDER BY exit_time_us, id
                """, arguments: account.map { [$0] } ?? [])
            var all: [AnalyticsTrade] = []
            while let row = try rows.next() {
                let trade = ClosedTrade(symbol: row[2], side: try LedgerStore.side(row[3]), qty: row[4], entryPrice: row[5],
                                        exitPrice: row[6], fees: row[7], entryTimeMicros: row[8], exitTimeMicros: row[9])
                all.append(AnalyticsTrade(id: row[0], account: row[1], trade: trade, openingSignalId: row[10], exitReason: row[11]))
            }
            return all
        }
    }

    /// The recorded snapshots, of `account` only when given, in time order (ties in
    /// recording order). With `limit`, only the last `limit` of them (none for 0 or less),
    /// still in time order.
    public func snapshots(account: String? = nil, limit: Int? = nil) throws -> [AnalyticsSnapshot] {
        var arguments: StatementArguments = account.map { [$0] } ?? []
        let columns = """
            SELECT time_us, account, capital, cash, exposure, exposure_pct, realized_pnl, unrealized_pnl, open_positions,
                   portfolio_heat, id
            FROM snapshots \(account == nil ? "" : "WHERE account = ?")
            """
        let sql: String
        if let limit {
            // The newest `limit`, put back in time order.
            sql = "SELECT * FROM (\(columns) ORDER BY time_us DESC, id DESC LIMIT ?) ORDER BY time_us, id"
            arguments += [max(0, limit)]
        } else {
            sql = columns + " ORDER BY time_us, id"
        }
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                AnalyticsSnapshot(timeMicros: row[0], account: row[1], capital: row[2], cash: row[3], exposure: row[4],
                                  exposurePct: row[5], realizedPnl: row[6], unrealizedPnl: row[7], openPositions: row[8],
                                  portfolioHeat: row[9])
            }
        }
    }

    /// How many snapshots are recorded, of `account` only when given.
    public func snapshotCount(account: String? = nil) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM snapshots \(account == nil ? "" : "WHERE account = ?")",
                             arguments: account.map { [$0] } ?? []) ?? 0
        }
    }

    /// Every account with a recorded trade or snapshot, sorted.
    public func accounts() throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: "SELECT account FROM trades UNION SELECT account FROM snapshots ORDER BY account")
        }
    }
}
