import CSQLiteSettings
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Starts the kernel's writeback of a store's log and database file as they are written, on a
/// queue of its own, for a store whose commits are writes to the operating system and whose
/// checkpoints sync (see `WALCheckpointer`).
///
/// Left alone, the pages such a store writes stay dirty until a checkpoint syncs them: the log,
/// megabytes of it, before the checkpoint copies it, and the pages it copied into the database
/// file after. Each of those syncs then takes several milliseconds, and every other sync queued
/// to the same disk meanwhile waits behind it, the ledger's among them (docs/PERFORMANCE.md,
/// change 122). Started as the pages are written, the same bytes reach the disk in small pieces
/// and the checkpoint's syncs find little left to write.
///
/// The log's writeback starts once the log has grown by `stretchFrames` frames since it last
/// started (or since the log started again from its beginning); the database file's, every
/// `checkpointPace` while a checkpoint runs (`duringCheckpoint`). Writeback that cannot be
/// started leaves the pages to the syncs, as without this.
final class FileWriteback: Sendable {
    private struct State {
        /// The log's length, in frames, when its writeback last started.
        var startedAt = 0
        /// A start of the log's writeback is queued and has not run yet.
        var logQueued = false
        /// A checkpoint runs: the database file's writeback starts every pace.
        var checkpointing = false
    }

    /// The log file and the database file, read-only (writeback needs no more).
    let logDescriptor: Int32
    let databaseDescriptor: Int32
    private let stretchFrames: Int
    /// The pause between starts of the database file's writeback during a checkpoint.
    private let checkpointPauseMicros: useconds_t
    private let start: @Sendable (Int32) -> Void
    private let queue = DispatchQueue(label: "file-writeback")
    private let state = Mutex(State())

    /// Starts the writeback of one open file with `sync_file_range` (see writeback.c).
    static let startWriteback: @Sendable (Int32) -> Void = { _ = hedgebus_start_writeback($0) }

    /// For the database at `databasePath` and its log; `start` starts the writeback of one open
    /// file. Nil when either file cannot be opened.
    init?(databasePath: String, stretchFrames: Int = 64, checkpointPace: Duration = .milliseconds(2),
          start: @escaping @Sendable (Int32) -> Void = FileWriteback.startWriteback) {
        let log = open(databasePath + "-wal", O_RDONLY | O_CLOEXEC)
        let database = open(databasePath, O_RDONLY | O_CLOEXEC)
        guard log >= 0, database >= 0 else {
            if log >= 0 { close(log) }
            if database >= 0 { close(database) }
            return nil
        }
        logDescriptor = log
        databaseDescriptor = database
        self.stretchFrames = max(1, stretchFrames)
        let (seconds, attoseconds) = checkpointPace.components
        checkpointPauseMicros = useconds_t(clamping: max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        self.start = start
    }

    deinit {
        close(logDescriptor)
        close(databaseDescriptor)
    }

    /// After a commit that left `frames` frames in the log. A log shorter than when the
    /// writeback last started has started again from its beginning.
    func logCommitted(frames: Int) {
        let due = state.withLock { state -> Bool in
            if frames < state.startedAt { state.startedAt = 0 }
            guard frames - state.startedAt >= stretchFrames, !state.logQueued else { return false }
            state.startedAt = frames
            state.logQueued = true
            return true
        }
        guard due else { return }
        queue.async { [self] in
            state.withLock { $0.logQueued = false }
            start(logDescriptor)
        }
    }

    /// Runs `checkpoint`, starting the database file's writeback every pace while it runs (on
    /// this writeback's queue, so the log's writeback waits meanwhile).
    func duringCheckpoint<T>(_ checkpoint: () -> T) -> T {
        state.withLock { $0.checkpointing = true }
        queue.async { [self] in
            while state.withLock({ $0.checkpointing }) {
                start(databaseDescriptor)
                usleep(checkpointPauseMicros)
            }
        }
        defer { state.withLock { $0.checkpointing = false } }
        return checkpoint()
    }

    /// Returns once every writeback start queued so far has run (for tests).
    func waitUntilIdle() { queue.sync {} }
}
