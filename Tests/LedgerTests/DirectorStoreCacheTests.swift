import Foundation
import GRDB
@testable import Ledger
import Testing

/// The director store's connection keeps a small page cache (`DirectorStore.cachePages`), so
/// what SQLite walks at the end of a transaction stays small, and the store still reads back
/// every signal, step and decision when far more pages than the cache holds are written, pruned
/// and reused.
struct DirectorStoreCacheTests {
    static func blob(_ tag: String, bytes: Int) -> Data { Data((tag + String(repeating: "x", count: bytes)).utf8) }

    @Test func theConnectionKeepsTheStoresCacheSize() throws {
        try withTemporaryDirectory { folder in
            let store = try DirectorStore(path: folder + "/director.sqlite", syncEveryCommit: false, checkpointsApart: true)
            #expect(try store.queue.read { try Int.fetchOne($0, sql: "PRAGMA cache_size") } == DirectorStore.cachePages)
            #expect(DirectorStore.cachePages == 128)
        }
    }

    @Test func rowsOfManyMorePagesThanTheCacheHoldsReadBackAcrossPruningAndReopening() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path, syncEveryCommit: false, checkpointsApart: true)
            _ = try store.load(rememberedSignals: 150)
            // Rows as large as a filled signal's (a page of their own each), five times as many
            // as the cache holds, pruned to the newest 150 as they go; every third one left
            // undecided.
            let count = 5 * DirectorStore.cachePages
            for index in 1...count {
                let id = "s\(index)"
                try store.record([.accepted(signalId: id, symbol: "BTC-USD", receivedUs: Int64(index), envelope: Self.blob(id, bytes: 300)),
                                  .executing(signalId: id, step: Self.blob("step-\(id)", bytes: 1_900))])
                if index % 3 != 0 { try store.record([.decided(signalId: id, decision: Self.blob("decision-\(id)", bytes: 1_950))]) }
            }
            let pages = try #require(try store.queue.read { try Int.fetchOne($0, sql: "PRAGMA page_count") })
            #expect(pages > 2 * DirectorStore.cachePages, "the rows span more pages than the cache holds")
            for index in (count - 100)...count where index % 3 != 0 {
                #expect(try store.decision(of: "s\(index)") == Self.blob("decision-s\(index)", bytes: 1_950))
            }

            let reopened = try DirectorStore(path: path, syncEveryCommit: false, checkpointsApart: true)
            let records = try reopened.load(rememberedSignals: 150)
            #expect(records.pending.map(\.signalId) == (1...count).filter { $0 % 3 == 0 }.map { "s\($0)" })
            #expect(records.pending.allSatisfy { $0.step == Self.blob("step-\($0.signalId)", bytes: 1_900) })
            // The newest decided signals, in order, as many as pruning left (never more than 150),
            // and at least those of the newest 100 accepted.
            let decided = (1...count).filter { $0 % 3 != 0 }.map { "s\($0)" }
            #expect(records.decidedIds == Array(decided.suffix(records.decidedIds.count)))
            #expect(records.decidedIds.count <= 150)
            #expect(records.decidedIds.count >= (count - 99...count).filter { $0 % 3 != 0 }.count)
        }
    }
}
