import Dispatch
import GRDB
import Synchronization

/// Checkpoints an SQLite file's write-ahead log on a queue and a connection of its own, for a
/// writer that commits with `synchronous = NORMAL` on a thread that must never wait for the disk
/// (a message loop).
///
/// Such a writer's commits are writes to the operating system; only a checkpoint syncs (the log,
/// then the database file). SQLite runs one on the committing connection once the log passes
/// 1,000 pages, so the writer turns that off (`wal_autocheckpoint = 0`) and reports each commit
/// here; every `interval` commits a passive checkpoint copies the log into the database file
/// while the writer goes on. A passive checkpoint leaves the frames committed during it for the
/// next; when the log still holds more than `restartFrames` frames after one, the next one waits
/// for the writer's lock (RESTART) so that the log starts again from its beginning and stays
/// bounded. The first commit after a log restarts still syncs the log's new header there.
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

    /// Opens a second connection to the WAL file at `path` for checkpoints, one every
    /// `interval` commits.
    init(path: String, interval: Int = 256, restartFrames: Int = 10_000) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        connection = try DatabaseQueue(path: path, configuration: config)
        queue = DispatchQueue(label: "wal-checkpoint")
        self.interval = max(1, interval)
        self.restartFrames = restartFrames
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

    private func checkpoint(restart: Bool) {
        let frames: Int? = try? connection.writeWithoutTransaction { db in
            let row = try Row.fetchOne(db, sql: restart ? "PRAGMA wal_checkpoint(RESTART)" : "PRAGMA wal_checkpoint(PASSIVE)")
            // (busy, frames in the log, frames copied). A log copied in full starts again at the
            // writer's next commit; one that is not keeps growing by what came in meanwhile.
            let busy: Int = row?[0] ?? 1
            let logged: Int = row?[1] ?? 0
            let copied: Int = row?[2] ?? 0
            return busy == 0 && copied >= logged ? 0 : logged
        }
        state.withLock { state in
            state.running = false
            state.stats.checkpoints += 1
            guard let frames else {
                state.stats.failures += 1
                return
            }
            state.stats.logFrames = frames
            state.restart = frames > restartFrames
        }
    }
}
