import Foundation
import Synchronization
import Testing
import Trading
@testable import Ledger

/// Group commit: batches reach the file in the order they were queued, many per transaction,
/// and nobody is told a batch is durable before it is.
@Suite struct LedgerWriterTests {
    @Test func batchesQueuedFasterThanTheDiskSyncsShareTransactionsAndKeepTheirOrder() async throws {
        try await withTemporaryDirectoryAsync { directory in
            let store = try LedgerStore(path: directory + "/ledger.sqlite")
            let writer = LedgerWriter(store: store) { _ in }
            // Queued back to back while the first transactions sync: later ones must group.
            let commits = (1...200).map { writer.enqueue(LedgerStoreTests.filledOrder($0)) }
            try await commits.last!.wait()
            let stats = writer.stats
            #expect(stats.items == 200)
            #expect(stats.transactions < 200)
            // A second connection sees every batch, in queue order.
            let reader = try LedgerStore(path: directory + "/ledger.sqlite", readOnly: true)
            #expect(try reader.fills().map(\.orderId) == (1...200).map { "O-\($0)" })
            #expect(try reader.venueSnapshot().ordersSubmitted == 200)
            await writer.close()
        }
    }

    @Test func aCommitIsDoneOnlyWhenItsBatchCanBeReadBackFromTheFile() async throws {
        try await withTemporaryDirectoryAsync { directory in
            let path = directory + "/ledger.sqlite"
            let writer = LedgerWriter(store: try LedgerStore(path: path)) { _ in }
            let reader = try LedgerStore(path: path, readOnly: true)
            for number in 1...20 {
                try await writer.enqueue(LedgerStoreTests.filledOrder(number)).wait()
                #expect(try reader.fills().count == number)
            }
            await writer.close()
        }
    }

    @Test func anEmptyBatchAndABarrierWaitForEverythingQueuedBeforeThem() async throws {
        try await withTemporaryDirectoryAsync { directory in
            let path = directory + "/ledger.sqlite"
            let writer = LedgerWriter(store: try LedgerStore(path: path)) { _ in }
            let reader = try LedgerStore(path: path, readOnly: true)
            for number in 1...30 { _ = writer.enqueue(LedgerStoreTests.filledOrder(number)) }
            try await writer.enqueue(LedgerBatch()).wait()
            #expect(try reader.fills().count == 30)
            for number in 31...60 { _ = writer.enqueue(LedgerStoreTests.filledOrder(number)) }
            try await writer.barrier().wait()
            #expect(try reader.fills().count == 60)
            await writer.close()
        }
    }

    @Test func aFailedTransactionFailsEveryWaiterStopsWritingAndReportsOnce() async throws {
        try await withTemporaryDirectoryAsync { directory in
            let path = directory + "/ledger.sqlite"
            let failures = Mutex<[String]>([])
            let writer = LedgerWriter(store: try LedgerStore(path: path)) { message in failures.withLock { $0.append(message) } }
            try await writer.enqueue(LedgerStoreTests.filledOrder(1)).wait()
            // Order number 1 again: a duplicate order id the ledger refuses.
            let duplicate = writer.enqueue(LedgerStoreTests.filledOrder(1))
            await #expect(throws: (any Error).self) { try await duplicate.wait() }
            let later = writer.enqueue(LedgerStoreTests.filledOrder(2))
            await #expect(throws: (any Error).self) { try await later.wait() }
            await #expect(throws: (any Error).self) { try await writer.barrier().wait() }
            #expect(failures.withLock { $0.count } == 1)
            let reader = try LedgerStore(path: path, readOnly: true)
            #expect(try reader.fills().map(\.orderId) == ["O-1"])
            await writer.close()
        }
    }

    @Test func closeCommitsWhatIsQueuedFirst() async throws {
        try await withTemporaryDirectoryAsync { directory in
            let path = directory + "/ledger.sqlite"
            let writer = LedgerWriter(store: try LedgerStore(path: path)) { _ in }
            for number in 1...50 { _ = writer.enqueue(LedgerStoreTests.filledOrder(number)) }
            await writer.close()
            #expect(try LedgerStore(path: path, readOnly: true).fills().count == 50)
        }
    }
}

/// The writer's thread carries its name where the system shows threads (top -H, perf, /proc).
@Suite struct LedgerWriterThreadNameTests {
    @Test func theWriterThreadIsNamedLedgerWriter() async throws {
        try await withTemporaryDirectoryAsync { directory in
            let writer = LedgerWriter(store: try LedgerStore(path: directory + "/ledger.sqlite")) { _ in }
            // Committed by the thread, which names itself before it takes any work.
            try await writer.enqueue(LedgerStoreTests.filledOrder(1)).wait()
            let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
            let names = tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
            #expect(names.contains("ledger-writer\n"))
            await writer.close()
        }
    }
}
