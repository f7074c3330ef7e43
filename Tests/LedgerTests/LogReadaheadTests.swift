import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Ledger
import Synchronization
import Testing

/// Which pages of a file the page cache holds, and a way to make it let them go, as a host that
/// reclaims idle file pages does.
enum PageCache {
    static let pageBytes = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Whether each page of the file at `path` is in the page cache (`mincore` over a mapping,
    /// which itself reads nothing).
    static func resident(_ path: String) -> [Bool] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0 else { return [] }
        let length = Int(info.st_size)
        guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0), map != MAP_FAILED else { return [] }
        defer { munmap(map, length) }
        var pages = [UInt8](repeating: 0, count: (length + pageBytes - 1) / pageBytes)
        guard mincore(map, length, &pages) == 0 else { return [] }
        return pages.map { $0 & 1 == 1 }
    }

    /// Writes the file's dirty pages and asks the kernel to drop every page of it.
    static func evict(_ path: String) {
        let descriptor = open(path, O_RDWR)
        guard descriptor >= 0 else { return }
        fdatasync(descriptor)
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
        close(descriptor)
    }

    /// Waits (up to two seconds) until `pages` of the file at `path` are all in the page cache.
    static func waitResident(_ path: String, pages: Range<Int>) -> Bool {
        for _ in 0..<200 {
            let now = resident(path)
            if now.count >= pages.upperBound, pages.allSatisfy({ now[$0] }) { return true }
            usleep(10_000)
        }
        return false
    }

    /// Whether this machine's kernel drops a file's pages when asked (not on every file system:
    /// a tmpfs keeps them), so the tests below can see the readahead bring them back.
    static let canEvict: Bool = {
        let path = NSTemporaryDirectory() + "/hedgebus-evict-\(getpid())"
        defer { unlink(path) }
        guard FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 64 << 10)) else { return false }
        evict(path)
        return resident(path).contains(false)
    }()
}

/// A time that moves only when told to.
final class ManualInstant: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ by: Duration) { instant.withLock { $0 += by } }
}

struct LogReadaheadTests {
    static let pageSize = 4_096
    static let frame = LogReadahead.frameHeaderBytes + pageSize

    /// A log file of `frames` frames of noise at `folder`/db.sqlite-wal, written and then dropped
    /// from the page cache.
    static func evictedLog(_ folder: String, frames: Int) throws -> String {
        let path = folder + "/db.sqlite-wal"
        var bytes = Data(count: LogReadahead.headerBytes + frames * frame)
        bytes.withUnsafeMutableBytes { for index in $0.indices { $0[index] = UInt8(truncatingIfNeeded: index &* 31) } }
        try bytes.write(to: URL(fileURLWithPath: path))
        PageCache.evict(path)
        return path
    }

    /// A readahead asking 64 KiB at a time, over a dropped log of 400 frames at `folder`, on a
    /// `clock` that moves only when the test moves it (so a slow run never looks like a quiet
    /// spell of ten seconds).
    static func readahead(in folder: String, clock: ManualInstant = ManualInstant()) throws
        -> (log: String, readahead: LogReadahead, stretch: Int) {
        let log = try evictedLog(folder, frames: 400)
        let stretch = 64 << 10
        let made = LogReadahead(databasePath: folder + "/db.sqlite", pageSize: pageSize, stretch: stretch, quietSpell: .seconds(10),
                                now: { clock.now })
        return (log, try #require(made), stretch)
    }

    @Test(.enabled(if: PageCache.canEvict, "the kernel keeps this file system's pages when asked to drop them"))
    func aCommitNearTheEndOfWhatWasAskedForAsksForTheNextStretch() throws {
        try withTemporaryDirectory { folder in
            let (log, readahead, stretch) = try Self.readahead(in: folder)
            #expect(!PageCache.resident(log).contains(true), "the log was not dropped from the page cache")
            // The log ends after frame 100: the stretch after it is asked for and comes in.
            readahead.committed(frames: 100)
            let end = LogReadahead.headerBytes + 100 * Self.frame
            let page = PageCache.pageBytes
            #expect(readahead.askedThrough == end + stretch)
            #expect(PageCache.waitResident(log, pages: (end / page)..<((end + stretch) / page)))
            // Pages past the stretch are not read.
            let far = (end + 4 * stretch) / page
            #expect(!PageCache.resident(log)[far...].contains(true))
            // A commit well inside the stretch asks for nothing more.
            readahead.committed(frames: 101)
            #expect(readahead.askedThrough == end + stretch)
            // One within half a stretch of its end asks for the next.
            let near = (end + stretch / 2) / Self.frame + 1
            readahead.committed(frames: near)
            #expect(readahead.askedThrough == end + 2 * stretch)
        }
    }

    @Test(.enabled(if: PageCache.canEvict, "the kernel keeps this file system's pages when asked to drop them"))
    func aLogThatStartsAgainHasItsFirstStretchAskedFor() throws {
        try withTemporaryDirectory { folder in
            let (log, readahead, stretch) = try Self.readahead(in: folder)
            readahead.committed(frames: 300)
            PageCache.evict(log)
            // A checkpoint copied the whole log: the next commit writes from its start.
            readahead.restarting()
            #expect(PageCache.waitResident(log, pages: 0..<(stretch / PageCache.pageBytes)))
            // A commit that shows the log shorter than before (it started again without a
            // checkpoint of ours saying so) asks from its new end.
            readahead.committed(frames: 250)
            PageCache.evict(log)
            readahead.committed(frames: 2)
            let end = LogReadahead.headerBytes + 2 * Self.frame
            #expect(readahead.askedThrough == end + stretch)
            #expect(PageCache.waitResident(log, pages: (end / PageCache.pageBytes)..<((end + stretch) / PageCache.pageBytes)))
        }
    }

    /// After a quiet spell the stretch asked for before may have been reclaimed before the
    /// writer got to it: the next commit asks again from the log's end.
    @Test(.enabled(if: PageCache.canEvict, "the kernel keeps this file system's pages when asked to drop them"))
    func aCommitAfterAQuietSpellAsksAgainFromTheLogsEnd() throws {
        try withTemporaryDirectory { folder in
            let clock = ManualInstant()
            let (log, readahead, stretch) = try Self.readahead(in: folder, clock: clock)
            readahead.committed(frames: 100)
            let asked = readahead.askedThrough
            // The desk goes quiet and the host lets the pages go.
            PageCache.evict(log)
            clock.advance(.seconds(5))
            readahead.committed(frames: 101)
            #expect(readahead.askedThrough == asked, "asked again before the quiet spell was over")
            clock.advance(.seconds(11))
            readahead.committed(frames: 102)
            let end = LogReadahead.headerBytes + 102 * Self.frame
            #expect(readahead.askedThrough == end + stretch)
            let page = PageCache.pageBytes
            #expect(PageCache.waitResident(log, pages: (end / page)..<((end + stretch) / page)))
        }
    }

    /// A director store whose checkpoints run apart: once its log has started again over
    /// frames whose pages the cache has let go, its commits bring back the pages a stretch
    /// ahead of where they write.
    @Test(.enabled(if: PageCache.canEvict, "the kernel keeps this file system's pages when asked to drop them"))
    func aDirectorStoresCommitsKeepThePagesAheadOfItsLogInTheCache() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let log = path + "-wal"
            let store = try DirectorStore(path: path, checkpointsApart: true)
            let checkpointer = try #require(store.checkpointer)
            let readahead = try #require(checkpointer.readahead)
            let envelope = Data(repeating: UInt8(ascii: "e"), count: 1_500)
            var index = 0
            func commit() throws {
                try store.record([.accepted(signalId: "s\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: envelope)])
                index += 1
            }
            // A log of 200 commits, copied whole by a checkpoint, so the next commits write it
            // again from its start; then its pages are dropped.
            for _ in 0..<200 { try commit() }
            checkpointer.checkpointNow()
            let page = PageCache.pageBytes
            let stretch = 256 << 10
            #expect(PageCache.resident(log).count * page >= 3 * stretch, "the log is shorter than the stretches checked")
            PageCache.evict(log)
            // Commits until the log's end comes within half a stretch of the first one.
            while readahead.askedThrough <= stretch, index < 320 { try commit() }
            #expect(readahead.askedThrough == 2 * stretch)
            // The second stretch, which nobody has read since the drop, is back in the cache;
            // the third is not asked for yet.
            #expect(PageCache.waitResident(log, pages: (stretch / page)..<(2 * stretch / page)))
            #expect(!PageCache.resident(log)[(2 * stretch / page + 1)..<(3 * stretch / page)].contains(true))
            #expect(try DirectorStore(path: path).load(rememberedSignals: 1_000).pending.count == index)
        }
    }

    /// The ledger's log, written again in place after each checkpoint: its writer's commits,
    /// too, bring back the pages ahead of where they write.
    @Test(.enabled(if: PageCache.canEvict, "the kernel keeps this file system's pages when asked to drop them"))
    func theLedgersCommitsKeepThePagesAheadOfItsLogInTheCache() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/ledger.sqlite"
            let log = path + "-wal"
            // Room for 400 frames of 2 KB pages: more than three stretches.
            let store = try LedgerStore(path: path, checkpointFrames: 200)
            let readahead = try #require(store.logWatch?.readahead)
            var number = 0
            func commit() throws {
                number += 1
                try store.record(LedgerStoreTests.filledOrder(number))
            }
            while store.logFrames < 200, number < 800 { try commit() }
            #expect(try store.checkpointIfDue())
            let page = PageCache.pageBytes
            let stretch = 256 << 10
            #expect(PageCache.resident(log).count * page >= 3 * stretch, "the log's room is shorter than the stretches checked")
            PageCache.evict(log)
            let start = number
            while readahead.askedThrough <= stretch, number < start + 200 { try commit() }
            #expect(readahead.askedThrough == 2 * stretch)
            #expect(PageCache.waitResident(log, pages: (stretch / page)..<(2 * stretch / page)))
            #expect(!PageCache.resident(log)[(2 * stretch / page + 1)..<(3 * stretch / page)].contains(true))
        }
    }
}
