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
/// The file has no index of signal ids: the store finds a signal's row by its `slot` through a
/// `SignalRowIndex` of its own, read from the file by `load` or the first commit.
///
/// Once `load(rememberedSignals:)` has run, the store forgets decided signals older than the
/// newest `rememberedSignals` accepted ones while it runs, so the file stays bounded however
/// long the director runs: a signal accepted once the store holds that many is written over the
/// row of the oldest decided one (its `slot`, the row's key; `seq` keeps the order signals came
/// in), so an old desk's commit rewrites a page it already has rather than taking pages from
/// the file's free list and freeing others in bursts. Rows that could not be written over (the
/// oldest were still in flight) are deleted in the transaction of every `pruneInterval`-th
/// commit.
public final class DirectorStore: Sendable {
    /// The database file.
    public let path: String
    let queue: DatabaseQueue
    /// The statements of every commit, prepared once on `queue`'s connection.
    let statements = PreparedStatements()
    let checkpointer: WALCheckpointer?
    /// The page size of a file this store creates. A filled signal's row, its plan with three
    /// targets, is about 2.2 KB while in flight (its envelope and step) and 2.3 KB once decided
    /// (its envelope and decision), more with several fills: on 4 KB pages it stays on its own
    /// page, and each of a signal's commits rewrites that page. On 2 KB pages (changes 141–174)
    /// it spilled to an overflow page, taken from and given back to the free list as the row
    /// changed, so each commit also wrote the free list's page and the file's header: twice the
    /// frames and syscalls for about the same bytes (docs/PERFORMANCE.md, change 175).
    static let pageSize = 4_096
    /// How many pages the connection keeps in its cache: the pages a commit reads and writes
    /// (the leaves of the signals in flight, the positions, the B-trees' upper pages, page 1)
    /// and little more. At the end of every transaction SQLite drops from its cache the pages
    /// past the end of the file, and when a page split has renumbered pages (through a
    /// placeholder number far past the end) it does so by walking every page it holds: about
    /// 20,000 instructions with SQLite's default cache (2,000 KB, then 1,000 pages of 2 KB), on
    /// every other signal (docs/PERFORMANCE.md, change 145).
    static let cachePages = 128
    /// Commits between two prunings of decided signals.
    static let pruneInterval = 1_024
    /// How many signals to remember (nil until `load`) and the commits since the last pruning.
    let pruning = Mutex<(remembered: Int?, commits: Int)>((nil, 0))
    /// The `seq` of the position recorded last: a position first recorded later gets a larger
    /// one, so positions read back in the order they were opened.
    private let positionSeq: Mutex<Int64>
    /// Where each signal's row is; nil until `load` or the first commit reads it.
    let signalRows = Mutex<SignalRowIndex?>(nil)

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
    /// Each acceptance takes a row of its own (a new one, or once the store holds as many as it
    /// remembers, that of the oldest decided signal): the director accepts a signal id once while
    /// it remembers it, and a step or a decision goes to the newest row of its signal. Without
    /// `waitingForLock`, a write lock held by the checkpointer throws `StoreLockBusy` and nothing
    /// is written.
    public func record(_ changes: [DirectorChange], waitingForLock: Bool = true) throws {
        guard !changes.isEmpty else { return }
        let rows = DirectorRows(changes).rows
        let (remembered, prune): (Int?, Bool) = pruning.withLock { pruning in
            guard let remembered = pruning.remembered else { return (nil, false) }
            pruning.commits += 1
            guard pruning.commits >= Self.pruneInterval else { return (remembered, false) }
            pruning.commits = 0
            return (remembered, true)
        }
        var changed: [SignalRowIndex.Change] = []
        var pruned: Set<Int64> = []
        do {
            try DurableSQLite.transaction(queue, statements, waitingForLock: waitingForLock, { db in
                try indexSignalRows(db.connection)
                var placing = placement(of: rows, remembered: remembered)
                for row in rows { try write(row, db, &placing, &changed) }
                if prune, let remembered {
                    // Beyond the newest `remembered` once this commit's signals are in, and not
                    // already written over by one of them.
                    let beyond = max(0, remembered - placing.slots.count)
                    let forgettable = signalRows.withLock { $0?.forgettable(remembered: beyond) } ?? []
                    pruned = try forget(forgettable.filter { !placing.claimed.contains($0) }, db)
                }
            }, committed: {
                signalRows.withLock { index in
                    index?.apply(changed)
                    index?.remove(pruned)
                }
            })
        } catch let busy as StoreLockBusy {
            // The pruning this commit was to do falls to the next one.
            if prune { pruning.withLock { $0.commits = Self.pruneInterval } }
            throw busy
        }
        checkpointer?.committed()
    }

    /// Whether commits sync nothing, their log's checkpoints running apart.
    public var checkpointsApart: Bool { checkpointer != nil }

    /// Where the signals a commit accepts go: the rows each may be written over, in order (nil:
    /// a row of its own), and the `seq` of the next.
    struct Placement {
        var slots: [Int64?]
        var next = 0
        var seq: Int64
        /// The rows written over, so that the same commit's pruning leaves them.
        var claimed: Set<Int64> { Set(slots.compactMap { $0 }) }
    }

    /// Where the signals of `rows` go, a store that remembers `remembered` signals (nil: every
    /// signal gets a row of its own, as in a store nobody loaded).
    private func placement(of rows: [DirectorRows.Row], remembered: Int?) -> Placement {
        let accepted = rows.reduce(0) { count, row in if case .signal = row { count + 1 } else { count } }
        return signalRows.withLock { index in
            let slots = remembered.flatMap { index?.reusableSlots(count: accepted, remembered: $0) } ?? Array(repeating: nil, count: accepted)
            return Placement(slots: slots, seq: (index?.lastSeq ?? 0) + 1)
        }
    }

    private func write(_ row: DirectorRows.Row, _ db: PreparedDatabase, _ placing: inout Placement,
                       _ changed: inout [SignalRowIndex.Change]) throws {
        switch row {
        case .signal(let signal):
            // A decided signal keeps no step: only an undecided one is resumed from it, and the
            // step is a third of a row.
            let bind = { (b: inout ParameterBinder, seq: Int64) in
                b.bind(seq)
                b.bind(signal.signalId)
                b.bind(signal.symbol)
                b.bind(signal.receivedUs)
                b.bind(signal.envelope)
                b.bind(signal.decision == nil ? signal.step : nil)
                b.bind(signal.decision)
            }
            let seq = placing.seq
            let fingerprint = IdFingerprint.of(signal.signalId)
            if let slot = placing.slots[placing.next] {
                try db.run("UPDATE signals SET seq = ?, signal_id = ?, symbol = ?, received_us = ?, envelope = ?, step = ?, decision = ? WHERE slot = ?") { b in
                    bind(&b, seq)
                    b.bind(slot)
                }
                changed.append(.reused(.init(slot: slot, fingerprint: fingerprint), decided: signal.decision != nil))
            } else {
                try db.run("INSERT INTO signals (seq, signal_id, symbol, received_us, envelope, step, decision) VALUES (?, ?, ?, ?, ?, ?, ?)") { b in
                    bind(&b, seq)
                }
                changed.append(.inserted(.init(slot: db.lastInsertedRowID, fingerprint: fingerprint), decided: signal.decision != nil))
            }
            placing.next += 1
            placing.seq += 1
        case .step(let id, let step):
            try updateNewestRow(of: id, db) { slot in
                try db.run("UPDATE signals SET step = ? WHERE slot = ? AND signal_id = ? AND decision IS NULL") { b in
                    b.bind(step)
                    b.bind(slot)
                    b.bind(id)
                }
            }
        case .decision(let id, let decision):
            let row = try updateNewestRow(of: id, db) { slot in
                try db.run("UPDATE signals SET decision = ?, step = NULL WHERE slot = ? AND signal_id = ?") { b in
                    b.bind(decision)
                    b.bind(slot)
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
        if let slot = signalRows.withLock({ $0?.newestUndecided(fingerprint) }) {
            try update(slot)
            if db.changesCount > 0 { return .init(slot: slot, fingerprint: fingerprint) }
        }
        var end: Int?
        while let (slot, at) = newestRow(fingerprint, before: end) {
            try update(slot)
            if db.changesCount > 0 { return .init(slot: slot, fingerprint: fingerprint) }
            end = at
        }
        return nil
    }

    /// The `slot` and index position of the newest indexed row before `end` whose id may be
    /// the one of `fingerprint`.
    func newestRow(_ fingerprint: UInt64, before end: Int?) -> (slot: Int64, at: Int)? {
        signalRows.withLock { index in
            guard let index, let at = index.newest(fingerprint, before: end) else { return nil }
            return (index.entries[at].slot, at)
        }
    }

    /// Deletes the rows `slots` (decided signals older than those remembered) and returns them.
    func forget(_ slots: [Int64], _ db: PreparedDatabase) throws -> Set<Int64> {
        for slot in slots {
            try db.run("DELETE FROM signals WHERE slot = ?") { b in
                b.bind(slot)
            }
        }
        return Set(slots)
    }

    /// Reads the index of signal rows from `db` unless `load` or an earlier commit has.
    func indexSignalRows(_ db: Database) throws {
        try signalRows.withLock { index in
            if index == nil { index = try SignalRowIndex(reading: db) }
        }
    }
}
