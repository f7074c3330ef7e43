import Foundation
import GRDB
import Synchronization

/// The TradingDirector's durable records (by default run/director.sqlite): the signals it
/// accepted with their progress and decisions, and the plan and exit progress of every
/// position it watches, so a restarted director finishes what the old one had started.
///
/// Kept like the ledger (`DurableSQLite`): WAL, one transaction per `record`. With
/// `syncEveryCommit` (`director.sync_every_commit`) each commit is fsynced, as the ledger's are,
/// and survives a power cut; without (the default) a commit survives the director being killed
/// and reaches the disk at the next checkpoint, for a fraction of the cost. A record lost to a
/// power cut is a plan the restarted director no longer has: it still reconciles its positions
/// with the MarketMaker, whose ledger always syncs. With `checkpointsApart` the commits never
/// sync at all: the log's checkpoints run on a connection and a thread of their own
/// (`WALCheckpointer`), so a thread that must not wait for the disk can commit. Sendable because
/// its state is GRDB's `DatabaseQueue`, which serialises every access to the connection, and the
/// checkpointer, which locks its own.
///
/// Once `load(rememberedSignals:)` has run, the store keeps forgetting decided signals older
/// than the newest `rememberedSignals` accepted ones while it runs, in the transaction of every
/// `pruneInterval`-th commit, so the file stays bounded however long the director runs.
public final class DirectorStore: Sendable {
    /// The database file.
    public let path: String
    let queue: DatabaseQueue
    /// The statements of every commit, prepared once on `queue`'s connection.
    let statements = PreparedStatements()
    let checkpointer: WALCheckpointer?
    /// Commits between two prunings of decided signals.
    static let pruneInterval = 1_024
    /// How many signals to remember (nil until `load`) and the commits since the last pruning.
    private let pruning = Mutex<(remembered: Int?, commits: Int)>((nil, 0))
    /// The `seq` of the position recorded last: a position first recorded later gets a larger
    /// one, so positions read back in the order they were opened.
    private let positionSeq: Mutex<Int64>

    /// Opens the store at `path`, creating the file and its tables if needed; a file holding
    /// another schema (a ledger, analytics) is refused. `checkpointsApart` (only without
    /// `syncEveryCommit`) moves the log's checkpoints off the committing connection.
    public init(path: String, syncEveryCommit: Bool = false, checkpointsApart: Bool = false) throws {
        self.path = path
        let migrator = DirectorSchema.migrator
        do {
            let apart = checkpointsApart && !syncEveryCommit
            var config = DurableSQLite.configuration(readOnly: false, syncEveryCommit: syncEveryCommit)
            if apart { config.prepareDatabase { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") } }
            queue = try DatabaseQueue(path: path, configuration: config)
            let foreign = try queue.read { db in
                try migrator.hasBeenSuperseded(db) || (try db.tableExists("orders")) || (try db.tableExists("trades"))
            }
            guard !foreign else { throw LedgerError("\(path) is not a director store: it holds another schema") }
            try migrator.migrate(queue)
            positionSeq = Mutex(try queue.read { try Int64.fetchOne($0, sql: "SELECT MAX(seq) FROM positions") } ?? 0)
            checkpointer = apart ? try WALCheckpointer(path: path) : nil
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("cannot open the director store \(path): \(error)")
        }
    }

    /// Writes `changes`, in order, in one transaction: all of them or none. A signal accepted in
    /// the same transaction as its step or decision is inserted once with them (`DirectorRows`).
    public func record(_ changes: [DirectorChange]) throws {
        guard !changes.isEmpty else { return }
        let rows = DirectorRows(changes).rows
        let prune: Int? = pruning.withLock { pruning in
            guard let remembered = pruning.remembered else { return nil }
            pruning.commits += 1
            guard pruning.commits >= Self.pruneInterval else { return nil }
            pruning.commits = 0
            return remembered
        }
        try DurableSQLite.transaction(queue, statements) { db in
            for row in rows { try write(row, db) }
            if let prune {
                try db.run("DELETE FROM signals WHERE decision IS NOT NULL AND seq <= (SELECT MAX(seq) FROM signals) - ?") { b in
                    b.bind(prune)
                }
            }
        }
        checkpointer?.committed()
    }

    /// Whether commits sync nothing, their log's checkpoints running apart.
    public var checkpointsApart: Bool { checkpointer != nil }

    private func write(_ row: DirectorRows.Row, _ db: PreparedDatabase) throws {
        switch row {
        case .signal(let signal):
            // A signal already on record keeps its first acceptance and takes the rest, as
            // separate updates would have. A decided signal keeps no step: only an undecided
            // one is resumed from it, and the step is a third of a row.
            try db.run("""
                INSERT INTO signals (signal_id, symbol, received_us, envelope, step, decision) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (signal_id) DO UPDATE SET
                    step = CASE WHEN COALESCE(excluded.decision, signals.decision) IS NULL THEN COALESCE(excluded.step, signals.step) END,
                    decision = COALESCE(excluded.decision, signals.decision)
                """) { b in
                b.bind(signal.signalId)
                b.bind(signal.symbol)
                b.bind(signal.receivedUs)
                b.bind(signal.envelope)
                b.bind(signal.decision == nil ? signal.step : nil)
                b.bind(signal.decision)
            }
        case .step(let id, let step):
            try db.run("UPDATE signals SET step = ? WHERE signal_id = ? AND decision IS NULL") { b in
                b.bind(step)
                b.bind(id)
            }
        case .decision(let id, let decision):
            try db.run("UPDATE signals SET decision = ?, step = NULL WHERE signal_id = ?") { b in
                b.bind(decision)
                b.bind(id)
            }
        case .position(let id, let symbol, let state):
            // A position already on record keeps its seq (its place in the order).
            let seq = positionSeq.withLock { last in
                last += 1
                return last
            }
            try db.run("""
                INSERT INTO positions (opening_signal_id, seq, symbol, state) VALUES (?, ?, ?, ?)
                ON CONFLICT (opening_signal_id) DO UPDATE SET state = excluded.state
                """) { b in
                b.bind(id)
                b.bind(seq)
                b.bind(symbol)
                b.bind(state)
            }
        case .positionClosed(let id):
            try db.run("DELETE FROM positions WHERE opening_signal_id = ?") { b in
                b.bind(id)
            }
        }
    }

    /// Reads back what a restarted director needs, first forgetting decided signals older than
    /// the newest `rememberedSignals`; from then on the store keeps forgetting them as it runs.
    public func load(rememberedSignals: Int) throws -> DirectorRecords {
        pruning.withLock { $0.remembered = max(1, rememberedSignals) }
        return try queue.write { db in
            try db.execute(sql: """
                DELETE FROM signals WHERE decision IS NOT NULL AND seq < (
                    SELECT COALESCE(MIN(seq), 0) FROM (SELECT seq FROM signals WHERE decision IS NOT NULL ORDER BY seq DESC LIMIT ?))
                """, arguments: [max(1, rememberedSignals)])
            var records = DirectorRecords()
            for row in try Row.fetchAll(db, sql: "SELECT signal_id, symbol, received_us, envelope, step FROM signals WHERE decision IS NULL ORDER BY seq") {
                records.pending.append(.init(signalId: row["signal_id"], symbol: row["symbol"], receivedUs: row["received_us"],
                                             envelope: row["envelope"], step: row["step"]))
            }
            records.decidedIds = try String.fetchAll(db, sql: "SELECT signal_id FROM signals WHERE decision IS NOT NULL ORDER BY seq")
            records.positions = try Row.fetchAll(db, sql: "SELECT opening_signal_id, state FROM positions ORDER BY seq")
                .map { (openingSignalId: $0["opening_signal_id"], state: $0["state"]) }
            return records
        }
    }

    /// The recorded decision of `signalId`; nil when it has none yet (or is unknown).
    public func decision(of signalId: String) throws -> Data? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT decision FROM signals WHERE signal_id = ?", arguments: [signalId])
        }
    }
}
