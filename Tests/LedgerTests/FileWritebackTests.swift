import CSQLiteSettings
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif
@testable import Ledger
import Synchronization
import Testing

/// `FileWriteback` starts the writeback of a store's log every stretch of frames the log grows
/// by, and of its database file while a checkpoint runs.
@Suite(.timeLimit(.minutes(1)))
struct FileWritebackTests {
    /// A folder holding an empty `db.sqlite` and `db.sqlite-wal`, removed after `body`.
    static func withFiles<T>(_ body: (String) throws -> T) throws -> T {
        try withTemporaryDirectory { folder in
            for name in ["db.sqlite", "db.sqlite-wal"] {
                #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data()))
            }
            return try body(folder + "/db.sqlite")
        }
    }

    /// The descriptors a writeback was started for, in order.
    final class Starts: Sendable {
        private let started = Mutex<[Int32]>([])
        /// Signalled at each start.
        let signal = DispatchSemaphore(value: 0)
        func record(_ descriptor: Int32) {
            started.withLock { $0.append(descriptor) }
            signal.signal()
        }
        var all: [Int32] { started.withLock { $0 } }
    }

    @Test func theLogIsWrittenBackOnceItHasGrownByAStretchAndCountsAgainFromARestart() throws {
        try Self.withFiles { path in
            let starts = Starts()
            let writeback = try #require(FileWriteback(databasePath: path, stretchFrames: 64, start: starts.record))
            writeback.logCommitted(frames: 10)
            writeback.logCommitted(frames: 63)
            writeback.waitUntilIdle()
            #expect(starts.all.isEmpty, "63 frames: less than a stretch")
            writeback.logCommitted(frames: 64)
            writeback.waitUntilIdle()
            #expect(starts.all == [writeback.logDescriptor])
            writeback.logCommitted(frames: 100)
            writeback.waitUntilIdle()
            #expect(starts.all.count == 1, "36 frames since the last start")
            // The log started again from its beginning: its frames count from there.
            writeback.logCommitted(frames: 5)
            writeback.logCommitted(frames: 69)
            writeback.waitUntilIdle()
            #expect(starts.all == [writeback.logDescriptor, writeback.logDescriptor])
        }
    }

    @Test func theDatabaseFileIsWrittenBackWhileACheckpointRunsAndNotAfter() throws {
        try Self.withFiles { path in
            let starts = Starts()
            let writeback = try #require(FileWriteback(databasePath: path, checkpointPace: .milliseconds(1), start: starts.record))
            let started = writeback.duringCheckpoint { () -> Bool in
                // The checkpoint lasts until the database file's writeback has started twice
                // (or ten seconds have passed: then the test fails).
                (0..<2).allSatisfy { _ in starts.signal.wait(timeout: .now() + 10) == .success }
            }
            #expect(started)
            writeback.waitUntilIdle()
            let after = starts.all
            #expect(after.count >= 2 && after.allSatisfy { $0 == writeback.databaseDescriptor })
            writeback.logCommitted(frames: 1)
            writeback.waitUntilIdle()
            #expect(starts.all.count == after.count, "no start once the checkpoint is over")
        }
    }

    @Test func noWritebackWithoutTheFiles() {
        let missing = NSTemporaryDirectory() + "/hedgebus-writeback-missing-\(UUID().uuidString)/db.sqlite"
        #expect(FileWriteback(databasePath: missing) == nil)
    }

    @Test func theKernelStartsTheWritebackOfAFilesDirtyPages() throws {
        try Self.withFiles { path in
            let descriptor = open(path, O_RDWR)
            try #require(descriptor >= 0)
            defer { close(descriptor) }
            let page = [UInt8](repeating: 9, count: 4_096)
            #expect(write(descriptor, page, page.count) == page.count)
            #expect(hedgebus_start_writeback(descriptor) == 0)
            #expect(hedgebus_start_writeback(-1) == -1 && errno == EBADF)
        }
    }
}

/// A store's checkpointer writes its log back as its writer's commits grow it.
struct WALCheckpointerWritebackTests {
    @Test func theWritersCommitsStartTheLogsWriteback() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/db.sqlite"
            var config = DurableSQLite.configuration(readOnly: false, syncEveryCommit: false)
            config.prepareDatabase { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            let writer = try DatabaseQueue(path: path, configuration: config)
            try writer.write { try $0.execute(sql: "CREATE TABLE rows (body BLOB)") }
            let starts = FileWritebackTests.Starts()
            // No checkpoint comes due: only the commits start a writeback.
            let checkpointer = try WALCheckpointer(path: path, writer: writer, interval: 1_000_000, writebackStart: starts.record)
            let writeback = try #require(checkpointer.writeback)
            let page = Data(repeating: 7, count: 3_000)
            for _ in 0..<80 {
                try writer.write { try $0.execute(sql: "INSERT INTO rows (body) VALUES (?)", arguments: [page]) }
            }
            writeback.waitUntilIdle()
            #expect(!starts.all.isEmpty && starts.all.allSatisfy { $0 == writeback.logDescriptor },
                    "80 commits of a page each: at least one stretch of 64 frames")
        }
    }
}
