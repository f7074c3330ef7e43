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
        private var scheduled: AsyncStream<@Sendable () -> Void>.Iterator
        private var retried: AsyncStream<@Sendable () -> Void>.Iterator
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
            (self.scheduled, self.retried) = (scheduled.makeAsyncIterator(), retried.makeAsyncIterator())
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

        /// The next action handed to the scheduler.
        func nextScheduled() async throws -> @Sendable () -> Void { try #require(await scheduled.next()) }

        /// The next action handed to `retryLater`.
        func nextRetry() async throws -> @Sendable () -> Void { try #require(await retried.next()) }

        /// Records a snapshot at time 1 and runs its commit while the lock is held.
        func firstCommitFindsTheLockHeld() async throws {
            snapshot(at: 1)
            let commit = try await nextScheduled()
            try whileLockHeld { commit() }
        }
    }

    @Test func aCommitThatFindsTheLockHeldKeepsItsRecordsAndRunsAgainLater() async throws {
        let rig = try Rig()
        defer { try? FileManager.default.removeItem(atPath: rig.folder) }
        try await rig.firstCommitFindsTheLockHeld()
        #expect(try rig.written.isEmpty)
        // A record that comes meanwhile joins the retry instead of asking for a commit.
        rig.snapshot(at: 2)
        #expect(rig.handed.value.withLock { $0 } == 1)
        try await rig.nextRetry()()
        #expect(try rig.written == [1, 2])
    }

    @Test func aFlushWritesWhatWaitsForARetry() async throws {
        let rig = try Rig()
        defer { try? FileManager.default.removeItem(atPath: rig.folder) }
        try await rig.firstCommitFindsTheLockHeld()
        let recorder = rig.recorder
        let flushed = Task { await recorder.flush() }
        try await rig.nextScheduled()()
        await flushed.value
        #expect(try rig.written == [1])
        // The retry finds nothing left: nothing is written twice.
        try await rig.nextRetry()()
        #expect(try rig.written == [1])
    }
}
