import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Checkpoints an SQLite file's write-ahead log on a queue and a connection of its own, for a
/// writer that commits with `synchronous = NORMAL` on a thread that must never wait for the disk
/// (a message loop).
///
/// Such a writer's commits are writes to the operating system; only a checkpoint syncs (the log,
/// then the database file). SQLite runs one on the committing connection once the log passes
/// 1,000 pages, so the writer turns that off (`wal_autocheckpoint = 0`) and reports each commit
/// here; every `interval` commits a passive checkpoint copies the log into the database file
/// while the writer goes on.
///
/// A log starts again from its beginning only when a write finds every frame of it copied, and
/// a writer that commits while each passive checkpoint runs never does: the log would grow for
/// as long as the process runs, even though each checkpoint copies all it saw. So once the log
/// holds more than `restartFrames` frames, the next checkpoint ends with a RESTART, which holds
/// the writer's lock while it syncs and copies what was committed since the passive checkpoint
/// it follows, and so leaves the log wholly copied for the next write. The passive checkpoint
/// right before it syncs and copies the interval's commits without holding the writer up, so
/// the RESTART holds the lock for the few commits made meanwhile, not for an interval's worth
/// of unsynced log (256 commits, several megabytes: the writer had waited 8–18 ms for it, once
/// per `restartFrames` frames). The first commit after a restart also syncs the log's new
/// header.
///
/// The writer's connection reports each commit's log length to the checkpointer's
/// `LogReadahead`, which keeps the pages of the writer's next frames in the page cache, so a
/// log written again over pages the cache has let go does not read them on the writer's thread,
/// and to its `FileWriteback`, which starts writing the log back as it grows (and the database
/// file while a checkpoint copies into it), so the checkpoint's syncs find little left to write.
final class WALCheckpointer: Sendable {
    /// What the checkpoints did so far.
    struct Stats: Sendable, Hashable {
        /// Checkpoints run, whether they finished the log or not.
        var checkpoints = 0
        /// Checkpoints that failed (the next one tries again).
        var failures = 0
        /// Frames in the log after the latest checkpoint, 0 when it copied them all.
        var logFrames = 0
    }

    private struct State {
        var commits = 0
        var running = false
        var restart = false
        var stats = Stats()
    }

    private let connection: DatabaseQueue
    private let queue: DispatchQueue
    private let interval: Int
    private let restartFrames: Int
    private let state = Mutex(State())
    /// The connection that commits, whose commits report the log's length here.
    private let writer: DatabaseQueue
    /// Nil when the log file could not be opened for it.
    let readahead: LogReadahead?
    /// Writes the log and the database file back as they are written; nil when they could not
    /// be opened for it.
    let writeback: FileWriteback?

    /// Opens a second connection to the WAL file at `path` for checkpoints, one every
    /// `interval` commits, and hooks `writer`'s connection (which must be in WAL mode, with
    /// SQLite's own checkpoints off) so each of its commits tells the readahead and the
    /// writeback (whose starts `writebackStart` makes) where the log ends. The hook is removed
    /// when the checkpointer goes.
    init(path: String, writer: DatabaseQueue, interval: Int = 256, restartFrames: Int = 10_000,
         writebackStart: @escaping @Sendable (Int32) -> Void = FileWriteback.startWriteback) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        connection = try DatabaseQueue(path: path, configuration: config)
        queue = DispatchQueue(label: "wal-checkpoint")
        self.interval = max(1, interval)
        self.restartFrames = restartFrames
        self.writer = writer
        readahead = try LogReadahead(writer: writer, databasePath: path)
        writeback = FileWriteback(databasePath: path, start: writebackStart)
        if readahead != nil || writeback != nil {
            writer.writeWithoutTransaction { db in
                _ = sqlite3_wal_hook(db.sqliteConnection, walCheckpointerLogCommitted, Unmanaged.passUnretained(self).toOpaque())
            }
        }
    }

    deinit {
        // The hook points at this checkpointer: removed before it goes.
        if readahead != nil || writeback != nil { writer.writeWithoutTransaction { _ = sqlite3_wal_hook($0.sqliteConnection, nil, nil) } }
    }

    /// Counts a commit of the writer; starts a checkpoint when one is due and none runs.
    func committed() {
        let restart: Bool? = state.withLock { state in
            state.commits += 1
            guard state.commits >= interval, !state.running else { return nil }
            state.commits = 0
            state.running = true
            return state.restart
        }
        guard let restart else { return }
        queue.async { [self] in checkpoint(restart: restart) }
    }

    /// Runs a checkpoint now, on the caller's thread, waiting for the writer's lock (RESTART).
    func checkpointNow() { checkpoint(restart: true) }

    var stats: Stats { state.withLock { $0.stats } }

    /// Returns once the checkpoints started so far have run.
    func waitUntilIdle() { queue.sync {} }

    /// After each commit of the writer, with the log's length in frames.
    fileprivate func logCommitted(frames: Int) {
        readahead?.committed(frames: frames)
        writeback?.logCommitted(frames: frames)
    }

    private func checkpoint(restart: Bool) {
        let result: (logged: Int, complete: Bool)?
        if let writeback {
            result = writeback.duringCheckpoint { copyLog(restart: restart) }
        } else {
            result = copyLog(restart: restart)
        }
        state.withLock { state in
            state.running = false
            state.stats.checkpoints += 1
            guard let result else {
                state.stats.failures += 1
                return
            }
            state.stats.logFrames = result.complete ? 0 : result.logged
            // The log restarts after a completed RESTART; until then its length decides.
            state.restart = !(restart && result.complete) && result.logged > restartFrames
        }
        // The writer's next commit writes the log from its beginning (unless it committed while
        // this ran: then its next report puts the readahead back where the log ends).
        if result?.complete == true { readahead?.restarting() }
    }

    /// Runs the checkpoint on its connection: (frames in the log when it began, whether it left
    /// the whole log copied); nil when it failed.
    private func copyLog(restart: Bool) -> (logged: Int, complete: Bool)? {
        try? connection.writeWithoutTransaction { db in
            if restart { _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") }
            let row = try Row.fetchOne(db, sql: restart ? "PRAGMA wal_checkpoint(RESTART)" : "PRAGMA wal_checkpoint(PASSIVE)")
            // (busy, frames in the log when the checkpoint began, frames copied). A passive
            // checkpoint that copied all it saw may still leave what the writer committed while
            // it ran; only a completed RESTART leaves the whole log copied.
            let busy: Int = row?[0] ?? 1
            let logged: Int = row?[1] ?? 0
            let copied: Int = row?[2] ?? 0
            return (logged, busy == 0 && copied >= logged)
        }
    }
}

/// SQLite's call after each commit of a checkpointer's writer, with the log's length in pages.
private func walCheckpointerLogCommitted(_ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?,
                                         _ name: UnsafePointer<CChar>?, _ pages: Int32) -> Int32 {
    guard let context else { return SQLITE_OK }
    Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().logCommitted(frames: Int(pages))
    return SQLITE_OK
}
