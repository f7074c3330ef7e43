import Foundation
import Testing
@testable import Ledger

/// A new ledger file has the store's page size; a file made with another keeps its own, and
/// its log's room is counted in its own frames.
@Suite struct LedgerPageSizeTests {
    private static func size(_ path: String) throws -> Int {
        try #require((FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue)
    }

    @Test func aNewLedgerHasHalfSizePagesAndItsCommitsWriteFramesOfThatSize() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            let store = try LedgerStore(path: path, checkpointFrames: 50)
            #expect(LedgerStore.pageSize == 2_048)
            #expect(try store.pragma("page_size") == "2048")
            #expect(try Self.size(path + "-wal") == 32 + 100 * (24 + 2_048))
            try store.record(LedgerStoreTests.filledOrder(1))
            let afterFirst = store.logFrames
            try store.record(LedgerStoreTests.filledOrder(2))
            // A commit writes a page of each table and index it changes: a handful of frames.
            let frames = store.logFrames - afterFirst
            #expect((3...8).contains(frames), "one order's commit wrote \(frames) frames")
            let reader = try LedgerStore(path: path, readOnly: true)
            #expect(try reader.fills().map(\.orderId) == ["O-1", "O-2"])
        }
    }

    @Test func aLedgerMadeWithFourKilobytePagesKeepsThemAcrossReopening() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            try makeFile(at: path, pageSize: 4_096)
            do {
                let store = try LedgerStore(path: path, checkpointFrames: 50)
                #expect(try store.pragma("page_size") == "4096")
                #expect(try Self.size(path + "-wal") == 32 + 100 * (24 + 4_096))
                for number in 1...5 { try store.record(LedgerStoreTests.filledOrder(number)) }
            }
            let reopened = try LedgerStore(path: path, checkpointFrames: 50)
            #expect(try reopened.pragma("page_size") == "4096")
            try reopened.record(LedgerStoreTests.filledOrder(6))
            #expect(try reopened.fills().map(\.orderId) == (1...6).map { "O-\($0)" })
        }
    }
}
