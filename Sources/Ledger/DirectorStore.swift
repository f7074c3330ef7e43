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
/// The file has no index of signal ids: the store finds a signal's row by its `seq` through a
/// `SignalRowIndex` of its own, read from the file by `load` or the first commit.
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
    /// The page size of a file this store creates. A signal's row is about 1.9 KB once decided
    /// (its envelope and decision), so a commit's rows are on pages of their own either way;
    /// half-size pages halve what each of them writes to the log and checksums
    /// (docs/PERFORMANCE.md, change 141).
    static let pageSize = 2_048
    /// How many pages the connection keeps in its cache: the pages a commit reads and writes
    /// (the leaves of the signals in flight, the positions, the B-trees' upper pages, page 1)
    /// and little more. At the end of every transaction SQLite drops from its cache the pages
    /// past the end of the file, and when a page split has renumbered pages (through a
    /// placeholder number far past the end) it does so by walking every page it holds: about
    /// 20,000 instructions with SQLite's default cache (up to 1,000 pages of 2 KB), on every
    /// other signal (docs/PERFORMANCE.md, change 145).
    static let cachePages = 128
    /// Commits between two prunings of decided signals.
    static let pruneInterval = 1_024
    /// How many signals to remember (nil until `load`) and the commits since the last pruning.
    private let pruning = Mutex<(remembered: Int?, commits: Int)>((nil, 0))
    /// The `seq` of the position recorded last: a position first recorded later gets a larger
    /// one, so positions read back in the order they were opened.
    private let positionSeq: Mutex<Int64>
    /// Where each signal's row is; nil until `load` or the first commit reads it.
    private let signalRows = Mutex<SignalRowIndex?>(nil)

    /// Opens the store at `path`, creating the file and its tables if needed; a file holding
    /// another schema (a ledger, analytics) is refused. `checkpointsApart` (only without
    /// `syncEveryCommit`) moves the log's checkpoints off the committing connection.
    public init(path: String, syncEveryCommit: Bool = false, checkpointsApart: Bool = false) throws {
        self.path = path
        let migrator = DirectorSchema.migrator
        do {
            let apart = checkpointsApart && !syncEveryCommit
            var config = DurableSQLite.configuration(readOnly: false, syncEveryCommit: syncEveryCommit, newFilePageSize: Self.pageSize)
            config.prepareDatabase { try $0.execute(sql: "PRAGMA cache_size = \(Self.cachePages)") }
            if apart { config.prepareDatabase { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") } }
            queue = try DatabaseQueue(path: path, configuration: config)
            let foreign = try queue.read { db in
                try migrator.hasBeenSuperseded(db) || (try db.tableExists("orders")) || (try db.tableExists("trades"))
            }
            guard !foreign else { throw LedgerError("\(path) is not a director store: it holds another schema") }
            try migrator.migrate(queue)
            positionSeq = Mutex(try queue.read { try Int64.fetchOne($0, sql: "SELECT MAX(seq) FROM positions") } ?? 0)
            checkpointer = apart ? try WALCheckpointer(path: path, writer: queue) : nil
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("cannot open the director store \(path): \(error)")
        }
    }

    /// Writes `changes`, in order, in one transaction: all of them or none. A signal accepted in
    /// the same transaction as its step or decision is inserted once with them (`DirectorRows`).
    /// Each acceptance adds a row: the director accepts a signal id once while it remembers it,
    /// and a step or a decision goes to the newest row of its signal. Without `waitingForLock`,
    /// a write lock held by the checkpointer throws `StoreLockBusy` and nothing is written.
    public func record(_ changes: [DirectorChange], waitingForLock: Bool = true) throws {
        guard !changes.isEmpty else { return }
        let rows = DirectorRows(changes).rows
        let prune: Int? = pruning.withLock { pruning in
            guard let remembered = pruning.remembered else { return nil }
            pruning.commits += 1
            guard pruning.commits >= Self.pruneInterval else { return nil }
            pruning.commits = 0
            return remembered
        }
        var changed: [SignalRowIndex.Change] = []
        var pruned: Set<Int64> = []
        do {
            try DurableSQLite.transaction(queue, statements, waitingForLock: waitingForLock, { db in
                try indexSignalRows(db.connection)
                for row in rows { try write(row, db, &changed) }
                if let prune {
                    pruned = Set(try Int64.fetchAll(db.connection, sql: """
                        DELETE FROM signals WHERE decision IS NOT NULL AND seq <= (SELECT MAX(seq) FROM signals) - ? RETURNING seq
                        """, arguments: [prune]))
                }
            }, committed: {
                signalRows.withLock { index in
                    index?.apply(changed)
                    index?.remove(pruned, through: pruned.max() ?? 0)
                }
            })
        } catch let busy as StoreLockBusy {
            // The pruning this commit was to do falls to the next one.
            if prune != nil { pruning.withLock { $0.commits = Self.pruneInterval } }
            throw busy
        }
        checkpointer?.committed()
    }

    /// Whether commits sync nothing, their log's checkpoints running apart.
    public var checkpointsApart: Bool { checkpointer != nil }

    private func write(_ row: DirectorRows.Row, _ db: PreparedDatabase, _ changed: inout [SignalRowIndex.Change]) throws {
        switch row {
        case .signal(let signal):
            // A decided signal keeps no step: only an undecided one is resumed from it, and the
            // step is a third of a row.
            try db.run("INSERT INTO signals (signal_id, symbol, received_us, envelope, step, decision) VALUES (?, ?, ?, ?, ?, ?)") { b in
                b.bind(signal.signalId)
                b.bind(signal.symbol)
                b.bind(signal.receivedUs)
                b.bind(signal.envelope)
                b.bind(signal.decision == nil ? signal.step : nil)
                b.bind(signal.decision)
            }
            changed.append(.inserted(.init(seq: db.lastInsertedRowID, fingerprint: IdFingerprint.of(signal.signalId)),
                                     decided: signal.decision != nil))
        case .step(let id, let step):
            try updateNewestRow(of: id, db) { seq in
                try db.run("UPDATE signals SET step = ? WHERE seq = ? AND signal_id = ? AND decision IS NULL") { b in
                    b.bind(step)
                    b.bind(seq)
                    b.bind(id)
                }
            }
        case .decision(let id, let decision):
            let row = try updateNewestRow(of: id, db) { seq in
                try db.run("UPDATE signals SET decision = ?, step = NULL WHERE seq = ? AND signal_id = ?") { b in
                    b.bind(decision)
                    b.bind(seq)
                    b.bind(id)
                }
            }
            if let row { changed.append(.decided(row)) }
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

    /// Runs `update` (a statement that checks the row's signal id) on the rows whose id may be
    /// `id`, newest first, until one changes a row, and returns that row. The rows this
    /// transaction inserted need no search: a step or a decision of a signal accepted in the same
    /// transaction is written with its row (`DirectorRows`), so a change of this kind is of a
    /// signal accepted before. A signal in flight has its row found at once
    /// (`SignalRowIndex.newestUndecided`); any other is searched for from the newest row back.
    @discardableResult
    private func updateNewestRow(of id: String, _ db: PreparedDatabase, _ update: (Int64) throws -> Void) throws -> SignalRowIndex.Entry? {
        let fingerprint = IdFingerprint.of(id)
        if let seq = signalRows.withLock({ $0?.newestUndecided(fingerprint) }) {
            try update(seq)
            if db.changesCount > 0 { return .init(seq: seq, fingerprint: fingerprint) }
        }
        var end: Int?
        while let (seq, at) = newestRow(fingerprint, before: end) {
            try update(seq)
            if db.changesCount > 0 { return .init(seq: seq, fingerprint: fingerprint) }
            end = at
        }
        return nil
    }

    /// The `seq` and index position of the newest indexed row before `end` whose id may be the
    /// one of `fingerprint`.
    private func newestRow(_ fingerprint: UInt64, before end: Int?) -> (seq: Int64, at: Int)? {
        signalRows.withLock { index in
            guard let index, let at = index.newest(fingerprint, before: end) else { return nil }
            return (index.entries[at].seq, at)
        }
    }

    /// Reads the index of signal rows from `db` unless `load` or an earlier commit has.
    private func indexSignalRows(_ db: Database) throws {
        try signalRows.withLock { index in
            if index == nil { index = try SignalRowIndex(reading: db) }
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
            var entries: [SignalRowIndex.Entry] = []
            var undecided: Set<Int64> = []
            for row in try Row.fetchAll(db, sql: "SELECT seq, signal_id, symbol, received_us, envelope, step FROM signals WHERE decision IS NULL ORDER BY seq") {
                let pending = DirectorRecords.PendingSignal(signalId: row["signal_id"], symbol: row["symbol"], receivedUs: row["received_us"],
                                                            envelope: row["envelope"], step: row["step"])
                records.pending.append(pending)
                entries.append(.init(seq: row["seq"], fingerprint: IdFingerprint.of(pending.signalId)))
                undecided.insert(row["seq"])
            }
            let decided = try Row.fetchCursor(db, sql: "SELECT seq, signal_id FROM signals WHERE decision IS NOT NULL ORDER BY seq")
            while let row = try decided.next() {
                let id: String = row["signal_id"]
                records.decidedIds.append(id)
                entries.append(.init(seq: row["seq"], fingerprint: IdFingerprint.of(id)))
            }
            entries.sort { $0.seq < $1.seq }
            signalRows.withLock { $0 = SignalRowIndex(entries, undecided: undecided) }
            records.positions = try Row.fetchAll(db, sql: "SELECT opening_signal_id, state FROM positions ORDER BY seq")
                .map { (openingSignalId: $0["opening_signal_id"], state: $0["state"]) }
            return records
        }
    }

    /// The recorded decision of `signalId` (of its newest row); nil when it has none yet (or is
    /// unknown).
    public func decision(of signalId: String) throws -> Data? {
        try queue.read { db in
            try indexSignalRows(db)
            let fingerprint = IdFingerprint.of(signalId)
            var end: Int?
            while let (seq, at) = newestRow(fingerprint, before: end) {
                if let row = try Row.fetchOne(db, sql: "SELECT signal_id, decision FROM signals WHERE seq = ?", arguments: [seq]),
                   row["signal_id"] as String == signalId {
                    return row["decision"]
                }
                end = at
            }
            return nil
        }
    }
}
