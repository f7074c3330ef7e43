import Agents
import Foundation
import GRDB
import Ledger
import Logging
import Synchronization
import Testing

/// On the message loop the analytics never wait for their store's write lock: a commit that
/// finds it held (by the checkpointer) keeps its records and runs again from `retryLater`, and
/// a flush writes what waits, waiting for the lock.
@Suite(.timeLimit(.minutes(1)))
struct AnalyticsRecorderRetryTests {
    /// The recorder, its store, and the commits and retries it hands over, each on a stream.
    final class Rig {
        let folder = NSTemporaryDirectory() + "analytics-retry-\(UUID().uuidString.prefix(8))"
        let store: AnalyticsStore
        let recorder: AnalyticsRecorder
        let scheduled: AsyncStream<@Sendable () -> Void>
        let retried: AsyncStream<@Sendable () -> Void>
        /// Commits handed to the scheduler.
        let handed: Counter

        /// A count shared with the scheduler's closure.
        final class Counter: Sendable {
            let value = Mutex(0)
        }

        init() throws {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            store = try AnalyticsStore(path: folder + "/analytics.sqlite", syncEveryCommit: false, checkpointsApart: true)
            let (scheduled, toScheduled) = AsyncStream.makeStream(of: (@Sendable () -> Void).self)
            let (retried, toRetried) = AsyncStream.makeStream(of: (@Sendable () -> Void).self)
            (self.scheduled, self.retried) = (scheduled, retried)
            let handed = Counter()
            self.handed = handed
            recorder = AnalyticsRecorder(store: store, logger: Logger(label: "test"), scheduler: { action in
                handed.value.withLock { $0 += 1 }
                toScheduled.yield(action)
            }, retryLater: { toRetried.yield($0) })
        }

        func snapshot(at time: Int64) {
            recorder.snapshot(account: "desk", rows: [AnalyticsRecorderTests.row("BTC-USD", base: 0.5, quote: 50_000, mark: 60_000)],
                              open: [], at: time)
        }

        /// Runs `action` while another connection holds the store's write lock. A commit that
        /// waited for it would block here, as the holder lets go only after `action` returns.
        func whileLockHeld(_ action: () -> Void) throws {
            let holder = try DatabaseQueue(path: store.path)
            try holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                action()
                try db.execute(sql: "COMMIT")
            }
        }

        var written: [Int64] { get throws { try store.snapshots(account: "desk").map(\.timeMicros) } }
    }

    @Test func aCommitThatFindsTheLockHeldKeepsItsRecordsAndRunsAgainLater() async throws {
        let rig = try Rig()
        defer { try? FileManager.default.removeItem(atPath: rig.folder) }
        var scheduled = rig.scheduled.makeAsyncIterator()
        var retried = rig.retried.makeAsyncIterator()
        rig.snapshot(at: 1)
        let commit = try #require(await scheduled.next())
        try rig.whileLockHeld { commit() }
        #expect(try rig.written.isEmpty)
        // A record that comes meanwhile joins the retry instead of asking for a commit.
        rig.snapshot(at: 2)
        #expect(rig.handed.value.withLock { $0 } == 1)
        let retry = try #require(await retried.next())
        retry()
        #expect(try rig.written == [1, 2])
    }

    @Test func aFlushWritesWhatWaitsForARetry() async throws {
        let rig = try Rig()
        defer { try? FileManager.default.removeItem(atPath: rig.folder) }
        var scheduled = rig.scheduled.makeAsyncIterator()
        var retried = rig.retried.makeAsyncIterator()
        rig.snapshot(at: 1)
        let commit = try #require(await scheduled.next())
        try rig.whileLockHeld { commit() }
        let recorder = rig.recorder
        let flushed = Task { await recorder.flush() }
        let flush = try #require(await scheduled.next())
        flush()
        await flushed.value
        #expect(try rig.written == [1])
        // The retry finds nothing left: nothing is written twice.
        let retry = try #require(await retried.next())
        retry()
        #expect(try rig.written == [1])
    }
}
