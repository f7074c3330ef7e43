import Dispatch
import Foundation
import Testing
import Trading
@testable import Ledger

/// The ledger's write-ahead log is checkpointed by its writer between batches, after their
/// acknowledgement, not inside the commit that takes it past its threshold; and the log then
/// starts again from its beginning, in place.
@Suite struct LedgerLogCheckpointTests {
    private static func walSize(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test func commitsOnlyNoteTheLogUntilTheWriterCheckpointsItThenItIsRewrittenInPlace() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            // The new file's tables take about 80 frames of the log before the first order.
            let store = try LedgerStore(path: path, checkpointFrames: 100)
            var lengths: [Int] = []
            var number = 0
            // Past the threshold and then some: no commit may checkpoint on its own (below the
            // inline bound of 8 × 100 pages), so the noted length only grows.
            while store.logFrames < 150 {
                number += 1
                try store.record(LedgerStoreTests.filledOrder(number))
                lengths.append(store.logFrames)
                try #require(number < 200, "the log did not grow past 150 pages")
            }
            #expect(lengths == lengths.sorted())
            #expect(lengths.first! > 0)
            #expect(store.logCheckpoints == (0, 0))

            // Past the threshold but not twice it: with batches waiting it is not yet due.
            #expect(try store.checkpointIfDue(moreWaiting: true) == false)
            #expect(try store.checkpointIfDue() == true)
            #expect(store.logFrames == 0)
            #expect(try store.checkpointIfDue() == false)
            let size = try Self.walSize(path)

            // The next commit starts the log again from its beginning: its length is one batch's.
            number += 1
            try store.record(LedgerStoreTests.filledOrder(number))
            #expect(store.logFrames > 0)
            #expect(store.logFrames <= lengths.first! + 2)
            for _ in 0..<5 {
                number += 1
                try store.record(LedgerStoreTests.filledOrder(number))
            }
            #expect(try Self.walSize(path) == size)
            #expect(store.logCheckpoints == (1, 0))

            let reader = try LedgerStore(path: path, readOnly: true)
            #expect(try reader.fills().map(\.orderId) == (1...number).map { "O-\($0)" })
        }
    }

    @Test func aStoreNobodyCheckpointsStillBoundsItsLog() throws {
        try withTemporaryDirectory { directory in
            let store = try LedgerStore(path: directory + "/ledger.sqlite", checkpointFrames: 5)
            var longest = 0
            for number in 1...60 {
                try store.record(LedgerStoreTests.filledOrder(number))
                longest = max(longest, store.logFrames)
            }
            // Inside the commit that passes 8 × 5 pages; never more than one batch past that.
            #expect(store.logCheckpoints.insideCommits >= 1)
            #expect(store.logCheckpoints.betweenBatches == 0)
            #expect(longest < 40)
        }
    }

    @Test func theVenuesWriterCheckpointsBetweenBatches() async throws {
        try await withTemporaryDirectoryAsync { directory in
            let path = directory + "/ledger.sqlite"
            let store = try LedgerStore(path: path, checkpointFrames: 20)
            let writer = LedgerWriter(store: store) { _ in }
            for number in 1...80 { try await writer.enqueue(LedgerStoreTests.filledOrder(number)).wait() }
            await writer.close()
            #expect(store.logCheckpoints.betweenBatches >= 1)
            #expect(store.logCheckpoints.insideCommits == 0)
            let reader = try LedgerStore(path: path, readOnly: true)
            #expect(try reader.fills().count == 80)
        }
    }
}

/// The writer thread's upkeep after a commit runs once the commit's waiters are resumed, and
/// knows whether more items wait.
@Suite struct AfterCommitTests {
    private enum Event: Hashable, Sendable {
        case writing([Int])
        case upkeep(moreWaiting: Bool)
        case upkeepDone
        case acknowledged
    }

    @Test func upkeepRunsAfterTheWaitersAreResumedAndSeesWhatWaits() async throws {
        let (events, report) = AsyncStream.makeStream(of: Event.self)
        let writes = DispatchSemaphore(value: 0)
        let upkeep = DispatchSemaphore(value: 0)
        let writer = GroupCommitWriter<Int, Int>(
            store: 0, path: "test", thread: "after-commit-test",
            write: { _, items in
                report.yield(.writing(items))
                writes.wait()
            },
            onFailure: { _ in },
            afterCommit: { _, moreWaiting in
                report.yield(.upkeep(moreWaiting: moreWaiting))
                // Bounded: an upkeep that held the acknowledgement back ends the test, failing.
                // Generous, since the waiter's task needs a thread of the shared pool, which
                // other suites running at the same time may hold on a loaded machine.
                _ = upkeep.wait(timeout: .now() + 90)
                report.yield(.upkeepDone)
            })
        var next = events.makeAsyncIterator()

        let first = writer.enqueue([1])
        #expect(await next.next() == .writing([1]))
        let second = writer.enqueue([2])
        let waiter = Task {
            try await first.wait()
            report.yield(.acknowledged)
        }
        writes.signal()
        // The first commit's upkeep starts with item 2 queued, and its waiter is answered while
        // the upkeep still runs.
        let two = [await next.next(), await next.next()]
        #expect(Set(two) == [.upkeep(moreWaiting: true), .acknowledged])
        upkeep.signal()
        #expect(await next.next() == .upkeepDone)
        try await waiter.value

        #expect(await next.next() == .writing([2]))
        writes.signal()
        #expect(await next.next() == .upkeep(moreWaiting: false))
        upkeep.signal()
        #expect(await next.next() == .upkeepDone)
        try await second.wait()
        await writer.close()
    }
}
