#if canImport(Glibc)
import Glibc
#endif
import GRDB
import Synchronization

/// Keeps the pages that a write-ahead log's next frames go to in the page cache, a stretch
/// ahead of the committing thread.
///
/// A log is written again from its beginning once a checkpoint has copied all of it, and a
/// frame (a 24-byte header and a page) never lines up with the operating system's 4 KiB pages,
/// so a frame written over an older one fills parts of two pages. When the page cache no longer
/// holds such a page, the kernel reads its block from the disk before the write returns, on the
/// committing thread: about one read per frame, each 100 µs or more on a virtual disk. A host
/// that reclaims file pages left alone for a minute or so lets a log's pages go, and a log that
/// takes minutes to go round (a few signals a second) is all such pages
/// (docs/PERFORMANCE.md, change 93).
///
/// So after each commit the log's end is compared with what was asked for already: once it
/// comes within half a stretch of that, the next stretch is asked for with
/// `POSIX_FADV_WILLNEED`, which starts reading the pages the cache lacks and returns without
/// waiting for them. When a checkpoint has copied the whole log, the log's first stretch is
/// asked for, where the next commit will write. Pages the cache holds cost a look-up each, and
/// past the file's end there is nothing to read. After a quiet spell (no ask for `quietSpell`)
/// the pages asked for earlier may have been reclaimed before the writer got to them, so the
/// next commit asks again from the log's end.
final class LogReadahead: Sendable {
    private struct State {
        /// Where the log ended after the latest commit, in bytes from the file's start.
        var end = 0
        /// Where the stretches asked for so far end.
        var asked = 0
        /// When a stretch was last asked for.
        var lastAsk: ContinuousClock.Instant?
    }

    /// Bytes before the first frame: the log's own header.
    static let headerBytes = 32
    /// Bytes of a frame's header, before its page.
    static let frameHeaderBytes = 24

    private let descriptor: Int32
    private let frameBytes: Int
    private let stretch: Int
    private let quietSpell: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())

    /// For the write-ahead log of the database at `databasePath`, whose pages are `pageSize`
    /// bytes, asking `stretch` bytes at a time, and again from the log's end after `quietSpell`
    /// without an ask (`now` tells the time); nil when the log file cannot be opened (then
    /// nothing is asked for, and writes go on as they would).
    init?(databasePath: String, pageSize: Int, stretch: Int = 256 << 10, quietSpell: Duration = .seconds(10),
          now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        let descriptor = open(databasePath + "-wal", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0, pageSize > 0 else {
            if descriptor >= 0 { close(descriptor) }
            return nil
        }
        self.descriptor = descriptor
        frameBytes = Self.frameHeaderBytes + pageSize
        self.stretch = max(stretch, frameBytes)
        self.quietSpell = quietSpell
        self.now = now
    }

    /// For the write-ahead log of the database at `databasePath` that `writer` commits to, with
    /// the page size `writer` reads and the default stretch and quiet spell.
    convenience init?(writer: DatabaseQueue, databasePath: String) throws {
        let pageSize = try writer.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } ?? 0
        self.init(databasePath: databasePath, pageSize: pageSize)
    }

    deinit { close(descriptor) }

    /// After a commit that left `frames` frames in the log. A log shorter than after the commit
    /// before has started again from its beginning.
    func committed(frames: Int) {
        let end = Self.headerBytes + frames * frameBytes
        let time = now()
        let from: Int? = state.withLock { state in
            if end < state.end { state.asked = 0 }
            if let last = state.lastAsk, time - last > quietSpell { state.asked = 0 }
            state.end = end
            guard end + stretch / 2 > state.asked else { return nil }
            let from = max(state.asked, end)
            state.asked = from + stretch
            state.lastAsk = time
            return from
        }
        if let from { ask(from: from) }
    }

    /// When a checkpoint has copied the whole log: the next commit writes it from its start.
    func restarting() {
        let time = now()
        state.withLock { state in
            state.end = 0
            state.asked = stretch
            state.lastAsk = time
        }
        ask(from: 0)
    }

    /// Bytes of the log asked for so far, from its start (for tests).
    var askedThrough: Int { state.withLock { $0.asked } }

    private func ask(from offset: Int) {
        // Advice only: a refusal leaves the writes as they would have been.
        _ = posix_fadvise(descriptor, off_t(offset), off_t(stretch), POSIX_FADV_WILLNEED)
    }
}
