import Foundation
import GRDB
import Testing
@testable import Ledger

/// The MarketMaker's ledger with its log's checkpoints apart: every commit still syncs, and no
/// commit copies the log into the file itself.
struct LedgerCheckpointTests {
    @Test func checkpointsApartLeaveEveryCommitSyncedAndCopyTheLogElsewhere() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            let store = try LedgerStore(path: path, checkpointsApart: true)
            #expect(store.checkpointsApart)
            #expect(try store.pragma("wal_autocheckpoint") == "0")
            #expect(try store.pragma("synchronous") == "2")
            let checkpointer = try #require(store.checkpointer)
            for number in 1...255 { try store.record(LedgerStoreTests.filledOrder(number)) }
            checkpointer.waitUntilIdle()
            #expect(checkpointer.stats.checkpoints == 0)
            // The 256th commit starts one, which copies the whole log (nothing else writes).
            try store.record(LedgerStoreTests.filledOrder(256))
            checkpointer.waitUntilIdle()
            #expect(checkpointer.stats == .init(checkpoints: 1, failures: 0, logFrames: 0))
            let reader = try LedgerStore(path: path, readOnly: true)
            #expect(try reader.queue.read { try LedgerStore.ordersSubmitted($0) } == 256)
            #expect(try reader.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM orders") } == 256)
        }
    }

    @Test func byDefaultAndReadOnlyTheConnectionCheckpointsItself() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            let store = try LedgerStore(path: path)
            #expect(!store.checkpointsApart)
            #expect(try store.pragma("wal_autocheckpoint") == "1000")
            let reader = try LedgerStore(path: path, readOnly: true, checkpointsApart: true)
            #expect(!reader.checkpointsApart)
        }
    }
}
