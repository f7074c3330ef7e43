import Foundation
@testable import Ledger
import Testing

/// The TradingDirector's store: what it records comes back after reopening, in order, and
/// decided signals are forgotten only beyond the newest ones kept.
struct DirectorStoreTests {
    static func blob(_ text: String) -> Data { Data(text.utf8) }

    @Test func recordsComeBackAfterReopeningWithUndecidedSignalsInArrivalOrder() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path)
            try store.record([
                .accepted(signalId: "s1", symbol: "BTC-USD", receivedUs: 10, envelope: Self.blob("one")),
                .accepted(signalId: "s2", symbol: "ETH-USD", receivedUs: 20, envelope: Self.blob("two")),
                .accepted(signalId: "s3", symbol: "BTC-USD", receivedUs: 30, envelope: Self.blob("three")),
                .executing(signalId: "s1", step: Self.blob("step")),
                .decided(signalId: "s2", decision: Self.blob("decision")),
                .position(openingSignalId: "p1", symbol: "BTC-USD", state: Self.blob("v1")),
                .position(openingSignalId: "p2", symbol: "ETH-USD", state: Self.blob("v1")),
                .position(openingSignalId: "p1", symbol: "BTC-USD", state: Self.blob("v2")),
                .positionClosed(openingSignalId: "p2"),
                // A signal accepted twice keeps its first record.
                .accepted(signalId: "s1", symbol: "BTC-USD", receivedUs: 99, envelope: Self.blob("again")),
            ])
            let records = try DirectorStore(path: path).load(rememberedSignals: 10)
            #expect(records.pending.map(\.signalId) == ["s1", "s3"])
            #expect(records.pending.first?.step == Self.blob("step") && records.pending.first?.envelope == Self.blob("one"))
            #expect(records.pending.first?.receivedUs == 10 && records.pending.last?.step == nil)
            #expect(records.decidedIds == ["s2"])
            #expect(records.positions.map(\.openingSignalId) == ["p1"] && records.positions.first?.state == Self.blob("v2"))
            #expect(try store.decision(of: "s2") == Self.blob("decision"))
            #expect(try store.decision(of: "s1") == nil && (try store.decision(of: "unknown")) == nil)
        }
    }

    @Test func onlyTheNewestDecidedSignalsAreRememberedAndUndecidedOnesAreNeverForgotten() throws {
        try withTemporaryDirectory { folder in
            let store = try DirectorStore(path: folder + "/director.sqlite")
            try store.record([.accepted(signalId: "open", symbol: "BTC-USD", receivedUs: 0, envelope: Self.blob("x"))])
            for index in 0..<5 {
                try store.record([.accepted(signalId: "d\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: Self.blob("x")),
                                  .decided(signalId: "d\(index)", decision: Self.blob("y"))])
            }
            let records = try store.load(rememberedSignals: 2)
            #expect(records.decidedIds == ["d3", "d4"])
            #expect(records.pending.map(\.signalId) == ["open"])
        }
    }

    @Test func commitsAreFsyncedOnlyWhenAskedAndTheFileIsInWALModeEitherWay() throws {
        try withTemporaryDirectory { folder in
            let relaxed = try DirectorStore(path: folder + "/relaxed.sqlite")
            let strict = try DirectorStore(path: folder + "/strict.sqlite", syncEveryCommit: true)
            // PRAGMA synchronous: 1 is NORMAL, 2 is FULL.
            #expect(try relaxed.queue.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1)
            #expect(try strict.queue.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
            for store in [relaxed, strict] {
                #expect(try store.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
            }
        }
    }

    @Test func aFileOfAnotherKindIsRefused() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/ledger.sqlite"
            _ = try LedgerStore(path: path)
            #expect(throws: LedgerError.self) { try DirectorStore(path: path) }
        }
    }

    @Test func theJournalGroupsChangesAndWaitingOnACommitMeansTheyAreOnDisk() async throws {
        try await withTemporaryDirectoryAsync { folder in
            let path = folder + "/director.sqlite"
            let journal = DirectorJournal(store: try DirectorStore(path: path)) { problem in Issue.record("failed: \(problem)") }
            var last: DirectorJournal.Commit?
            for index in 0..<200 {
                last = journal.enqueue(.accepted(signalId: "s\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: Self.blob("x")))
            }
            try await last?.wait()
            #expect(try DirectorStore(path: path).load(rememberedSignals: 10).pending.count == 200)
            #expect(journal.stats.items == 200)
            await journal.close()
            // After close nothing more is written, and waiting for it says so instead of hanging.
            await #expect(throws: LedgerError.self) { try await journal.enqueue(.decided(signalId: "s0", decision: Self.blob("y"))).wait() }
        }
    }

    @Test func deferredChangesAreWrittenByTheNextCommitSomeoneWaitsFor() async throws {
        try await withTemporaryDirectoryAsync { folder in
            let path = folder + "/director.sqlite"
            let journal = DirectorJournal(store: try DirectorStore(path: path)) { problem in Issue.record("failed: \(problem)") }
            // Waiting on a deferred change alone writes it: nobody waits for ever.
            let accepted = journal.enqueueDeferred(.accepted(signalId: "a", symbol: "BTC-USD", receivedUs: 1, envelope: Self.blob("x")))
            try await accepted.wait()
            #expect(try DirectorStore(path: path).load(rememberedSignals: 10).pending.map(\.signalId) == ["a"])
            // Deferred changes are written, in order, with the next awaited one.
            for index in 0..<50 {
                journal.enqueueDeferred(.accepted(signalId: "d\(index)", symbol: "ETH-USD", receivedUs: Int64(index), envelope: Self.blob("y")))
            }
            try await journal.enqueue(.decided(signalId: "d49", decision: Self.blob("z"))).wait()
            let records = try DirectorStore(path: path).load(rememberedSignals: 10)
            #expect(records.pending.map(\.signalId) == ["a"] + (0..<49).map { "d\($0)" })
            #expect(records.decidedIds == ["d49"])
            // A barrier covers deferred changes too.
            journal.enqueueDeferred(.decided(signalId: "a", decision: Self.blob("w")))
            try await journal.barrier().wait()
            #expect(try DirectorStore(path: path).decision(of: "a") == Self.blob("w"))
            #expect(journal.stats.items == 53)
            await journal.close()
        }
    }
}

/// A store whose commits never sync: its checkpoints run on a connection of their own.
struct DirectorStoreCheckpointTests {
    static func accepted(_ index: Int) -> DirectorChange {
        .accepted(signalId: "s\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: Data("x".utf8))
    }

    @Test func checkpointsApartTurnTheCommittingConnectionsOwnOffAndCopyTheLogElsewhere() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path, checkpointsApart: true)
            #expect(store.checkpointsApart)
            #expect(try store.queue.read { try String.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == "0")
            let checkpointer = try #require(store.checkpointer)
            for index in 0..<255 { try store.record([Self.accepted(index)]) }
            checkpointer.waitUntilIdle()
            #expect(checkpointer.stats.checkpoints == 0)
            // The 256th commit starts one, which copies the whole log (nothing else writes).
            try store.record([Self.accepted(255)])
            checkpointer.waitUntilIdle()
            #expect(checkpointer.stats == .init(checkpoints: 1, failures: 0, logFrames: 0))
            #expect(try DirectorStore(path: path).load(rememberedSignals: 10).pending.count == 256)
        }
    }

    @Test func withAnFsyncPerCommitTheConnectionCheckpointsItself() throws {
        try withTemporaryDirectory { folder in
            let store = try DirectorStore(path: folder + "/director.sqlite", syncEveryCommit: true, checkpointsApart: true)
            #expect(!store.checkpointsApart)
            #expect(try store.queue.read { try String.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == "1000")
        }
    }
}
