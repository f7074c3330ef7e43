import Foundation
@testable import Ledger
import Testing

/// A director store under a long run of commits stays bounded on disk: its write-ahead log
/// starts again from its beginning instead of growing with every commit, and decided signals
/// beyond those it remembers are forgotten while it runs, not only when it restarts.
struct DirectorStoreGrowthTests {
    static let envelope = Data(repeating: UInt8(ascii: "e"), count: 240)
    static let step = Data(repeating: UInt8(ascii: "s"), count: 980)
    static let decision = Data(repeating: UInt8(ascii: "d"), count: 1_400)

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// One signal's three commits, as the director makes them: accepted, executing, decided.
    static func cycle(_ store: DirectorStore, _ index: Int) throws {
        let id = "sig-\(index)"
        try store.record([.accepted(signalId: id, symbol: "BTC-USD", receivedUs: Int64(index), envelope: envelope)])
        try store.record([.executing(signalId: id, step: step)])
        try store.record([.decided(signalId: id, decision: decision)])
    }

    /// 18,000 commits of about 2.6 KB each write about 55,000 log frames (220 MB). Each passive
    /// checkpoint copies what it saw while the next commits arrive, so without a RESTART the
    /// log never starts again; with one it stays near its 10,000-frame threshold (40 MB) while
    /// the checkpointer's thread gets a CPU. With the whole suite running on two CPUs it has
    /// reached 105 MB before a RESTART got through, so the bound is 150 MB: still well short of
    /// a log that never starts again.
    @Test func theLogOfAStoreWithCheckpointsApartStaysBoundedUnderConstantCommits() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path, checkpointsApart: true)
            let checkpointer = try #require(store.checkpointer)
            _ = try store.load(rememberedSignals: 100_000)
            var largest = 0
            for index in 0..<6_000 {
                try Self.cycle(store, index)
                largest = max(largest, Self.fileSize(path + "-wal"))
            }
            checkpointer.waitUntilIdle()
            #expect(largest < 150 << 20, "the log reached \(largest) bytes; checkpoints: \(checkpointer.stats)")
            #expect(checkpointer.stats.failures == 0)
            // Nothing was lost on the way: every signal is there, decided.
            let records = try DirectorStore(path: path).load(rememberedSignals: 100_000)
            #expect(records.decidedIds.count == 6_000 && records.pending.isEmpty)
        }
    }
}

extension DirectorStoreGrowthTests {
    /// A store told to remember 100 signals holds, after 3,000, only the newest 100 and every
    /// undecided one, however old, in the rows the first 101 signals were given.
    @Test func decidedSignalsBeyondThoseRememberedAreForgottenWhileTheStoreRuns() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path)
            _ = try store.load(rememberedSignals: 100)
            try store.record([.accepted(signalId: "waiting", symbol: "ETH-USD", receivedUs: 0, envelope: Self.envelope)])
            try store.record([.executing(signalId: "waiting", step: Self.step)])
            for index in 0..<3_000 { try Self.cycle(store, index) }
            // In one batch too: accepted, executing and decided become one row without its step.
            try store.record([.accepted(signalId: "batched", symbol: "BTC-USD", receivedUs: 1, envelope: Self.envelope),
                              .executing(signalId: "batched", step: Self.step), .decided(signalId: "batched", decision: Self.decision)])
            let held = try store.queue.read { db in
                try String.fetchAll(db, sql: "SELECT signal_id FROM signals WHERE decision IS NOT NULL ORDER BY seq")
            }
            // Exactly the newest 100 accepted: each signal beyond them took the row of the
            // oldest decided one, and the undecided one kept its own.
            #expect(held == (2_901..<3_000).map { "sig-\($0)" } + ["batched"], "\(held.count) decided signals held")
            #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT MAX(slot) FROM signals") } == 101)
            // The undecided signal stays with its step, to be resumed; decided ones keep none.
            let waiting = try #require(try store.load(rememberedSignals: 100).pending.first { $0.signalId == "waiting" })
            #expect(waiting.step == Self.step)
            #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM signals WHERE decision IS NOT NULL AND step IS NOT NULL") } == 0)
        }
    }

    /// A store nobody loaded (a tool reading it) forgets nothing.
    @Test func aStoreThatWasNotLoadedForgetsNothing() throws {
        try withTemporaryDirectory { folder in
            let store = try DirectorStore(path: folder + "/director.sqlite")
            for index in 0..<400 { try Self.cycle(store, index) }
            #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM signals") } == 400)
        }
    }
}
