import GRDB
import GRDBSQLite
import Synchronization

/// When the ledger's write-ahead log is copied into its database file.
///
/// SQLite's own rule checkpoints inside the commit that takes the log past 1,000 pages, so the
/// batches of that commit are acknowledged only after the copy and its syncs (1–2.5 ms, one fill
/// batch in about 150). The ledger replaces that rule with a hook that only notes the log's
/// length after each commit; its writer thread checkpoints once the batches it just committed
/// have been acknowledged (`LedgerStore.checkpointIfDue(moreWaiting:)`). A passive checkpoint
/// on the writer's own connection leaves the log wholly copied, so the next commit writes it
/// again from its beginning, in place (a log that grows instead costs every synced commit a sync
/// of the file's size: change 42 in docs/PERFORMANCE.md).
///
/// A store nobody checkpoints still keeps its log bounded: past `inlineFrames` the hook
/// checkpoints inside the commit, as SQLite's rule would.
final class LedgerLogWatch: Sendable {
    /// Log pages after which the writer checkpoints between batches (SQLite's default threshold).
    let dueFrames: Int
    /// Log pages after which a checkpoint is due even while batches wait for their commit.
    let busyFrames: Int
    /// Log pages after which the commit itself checkpoints.
    let inlineFrames: Int
    /// The log's length in pages after the latest commit, 0 after a checkpoint copied all of it.
    let frames = Atomic<Int>(0)
    /// Checkpoints run so far by `LedgerStore.checkpointIfDue`.
    let checkpoints = Atomic<Int>(0)
    /// Checkpoints run so far inside commits, past `inlineFrames`.
    let inlineCheckpoints = Atomic<Int>(0)
    /// Keeps the pages of the writer's next frames in the page cache (nil without a log file).
    let readahead: LogReadahead?

    init(dueFrames: Int, readahead: LogReadahead?) {
        self.dueFrames = max(1, dueFrames)
        busyFrames = self.dueFrames * 2
        inlineFrames = self.dueFrames * 8
        self.readahead = readahead
    }

    /// Replaces SQLite's checkpoint rule on `connection` by this watch. The watch must outlive
    /// the hook: the store owning both removes it (`unhook`) before letting go of either.
    func hook(_ connection: SQLiteConnection?) {
        sqlite3_wal_hook(connection, ledgerLogCommitted, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Removes the hook from `connection`.
    static func unhook(_ connection: SQLiteConnection?) {
        sqlite3_wal_hook(connection, nil, nil)
    }
}

/// SQLite's call after each commit in WAL mode, with the log's length in pages.
private func ledgerLogCommitted(_ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                                _ pages: Int32) -> Int32 {
    guard let context else { return SQLITE_OK }
    let watch = Unmanaged<LedgerLogWatch>.fromOpaque(context).takeUnretainedValue()
    var pages = Int(pages)
    if pages >= watch.inlineFrames {
        var log: Int32 = 0
        var copied: Int32 = 0
        if sqlite3_wal_checkpoint_v2(connection, name, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK, log == copied {
            pages = 0
        }
        watch.inlineCheckpoints.add(1, ordering: .relaxed)
    }
    watch.frames.store(pages, ordering: .relaxed)
    if pages == 0 { watch.readahead?.restarting() } else { watch.readahead?.committed(frames: pages) }
    // The commit has succeeded whatever the checkpoint did: a failed one is tried again later.
    return SQLITE_OK
}

extension LedgerStore {
    /// Pages in the write-ahead log after the latest commit (0 once a checkpoint copied them).
    public var logFrames: Int { logWatch?.frames.load(ordering: .relaxed) ?? 0 }

    /// Checkpoints run between batches, and inside commits (only when nobody ran those).
    public var logCheckpoints: (betweenBatches: Int, insideCommits: Int) {
        (logWatch?.checkpoints.load(ordering: .relaxed) ?? 0, logWatch?.inlineCheckpoints.load(ordering: .relaxed) ?? 0)
    }

    /// Copies the write-ahead log into the database file when it has passed its threshold
    /// (twice that when `moreWaiting`, so batches already waiting are committed first): a
    /// passive checkpoint, with the syncs `synchronous = FULL` asks for. For the writer thread,
    /// after it has acknowledged the batches it committed; what it costs then delays only
    /// batches that arrive meanwhile. Returns whether a checkpoint ran; throws when SQLite
    /// refused it (nothing is lost: every commit is already durable in the log).
    @discardableResult
    public func checkpointIfDue(moreWaiting: Bool = false) throws -> Bool {
        guard let logWatch else { return false }
        let frames = logWatch.frames.load(ordering: .relaxed)
        guard frames >= (moreWaiting ? logWatch.busyFrames : logWatch.dueFrames) else { return false }
        try queue.writeWithoutTransaction { db in
            var log: Int32 = 0
            var copied: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
            guard code == SQLITE_OK else {
                throw LedgerError("cannot checkpoint the ledger at \(path): \(String(cString: sqlite3_errstr(code)))")
            }
            logWatch.checkpoints.add(1, ordering: .relaxed)
            // A reader may hold frames back; the log then stays due and the next call tries again.
            if log == copied {
                logWatch.frames.store(0, ordering: .relaxed)
                logWatch.readahead?.restarting()
            }
        }
        return true
    }
}
