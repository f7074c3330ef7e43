import Foundation
import Testing
@testable import Ledger

/// A writable ledger gives its write-ahead log room for its frames when it opens, so commits
/// write over bytes the file has rather than growing it; what a log already holds is kept.
@Suite struct LedgerLogReservationTests {
    private static func size(_ path: String) throws -> Int {
        try #require((FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue)
    }

    /// The log file's length with room for `frames` frames of `pageSize` pages.
    private static func logBytes(frames: Int, pageSize: Int) -> Int { 32 + frames * (24 + pageSize) }

    @Test func aNewLedgersLogHasRoomBeforeTheFirstCommitAndCommitsDoNotGrowIt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            let store = try LedgerStore(path: path, checkpointFrames: 40)
            let pageSize = try #require(try store.pragma("page_size").flatMap { Int($0) })
            let reserved = Self.logBytes(frames: 80, pageSize: pageSize)
            #expect(try Self.size(path + "-wal") == reserved)
            var number = 0
            while store.logFrames < 60 {
                number += 1
                try store.record(LedgerStoreTests.filledOrder(number))
                #expect(try Self.size(path + "-wal") == reserved, "commit \(number), \(store.logFrames) frames")
                try #require(number < 200, "the log did not reach 60 frames")
            }
            let reader = try LedgerStore(path: path, readOnly: true)
            #expect(try reader.fills().map(\.orderId) == (1...number).map { "O-\($0)" })
        }
    }

    @Test func framesLeftInALogWithoutRoomAreKeptWhenTheRoomIsMade() throws {
        try withTemporaryDirectory { directory in
            let original = directory + "/ledger.sqlite"
            let store = try LedgerStore(path: original, checkpointFrames: 100)
            for number in 1...8 { try store.record(LedgerStoreTests.filledOrder(number)) }
            let frames = store.logFrames
            try #require(frames > 0 && frames < 200)
            let pageSize = try #require(try store.pragma("page_size").flatMap { Int($0) })

            // What a process killed now leaves on disk, with its log cut where its frames end (a
            // log written before logs had room): the database file and the log, no index.
            let copy = directory + "/copy.sqlite"
            try FileManager.default.copyItem(atPath: original, toPath: copy)
            let log = try #require(FileManager.default.contents(atPath: original + "-wal"))
            try #require(log.count >= Self.logBytes(frames: frames, pageSize: pageSize))
            try log.prefix(Self.logBytes(frames: frames, pageSize: pageSize)).write(to: URL(fileURLWithPath: copy + "-wal"))

            let reopened = try LedgerStore(path: copy, checkpointFrames: 100)
            #expect(try Self.size(copy + "-wal") == Self.logBytes(frames: 200, pageSize: pageSize))
            #expect(try reopened.fills().map(\.orderId) == (1...8).map { "O-\($0)" })
            try reopened.record(LedgerStoreTests.filledOrder(9))
            #expect(try reopened.fills().map(\.orderId) == (1...9).map { "O-\($0)" })
        }
    }
}
