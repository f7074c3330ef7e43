import Foundation
import GRDB
@testable import Ledger
import Testing

/// The director store finds a signal's row by its `slot` through an index it keeps in memory,
/// not through an index of signal ids in the file: what that saves a commit, and that every
/// step and decision still reaches its signal's row across reopening, re-acceptance and
/// pruning.
struct DirectorSignalRowsTests {
    static func blob(_ text: String) -> Data { Data(text.utf8) }

    /// A store in `folder`, loaded to remember `remembering` signals.
    static func loadedStore(in folder: String, remembering: Int) throws -> DirectorStore {
        let store = try DirectorStore(path: folder + "/director.sqlite")
        _ = try store.load(rememberedSignals: remembering)
        return store
    }

    static func logBytes(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.intValue ?? 0
    }

    static func signalRows(_ store: DirectorStore) throws -> [String] {
        try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT signal_id, step, decision FROM signals ORDER BY seq").map { row in
                let step = (row["step"] as Data?).map { String(decoding: $0, as: UTF8.self) } ?? "-"
                let decision = (row["decision"] as Data?).map { String(decoding: $0, as: UTF8.self) } ?? "-"
                return "\(row["signal_id"] as String) \(step) \(decision)"
            }
        }
    }

    @Test func aSignalsTwoCommitsEachWriteOnePageOfLog() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            // As the director opens it: no sync per commit, checkpoints apart (none in 21 commits).
            let store = try DirectorStore(path: path, syncEveryCommit: false, checkpointsApart: true)
            _ = try store.load(rememberedSignals: 100)
            #expect(try store.queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'signals'") } == [])
            try store.record([.accepted(signalId: "warm-up", symbol: "BTC-USD", receivedUs: 0, envelope: Self.blob("e"))])
            let before = try Self.logBytes(path)
            for index in 1...10 {
                // The order's commit (the signal accepted with its step), then the decision's.
                try store.record([.accepted(signalId: "s\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: Self.blob("e\(index)")),
                                  .executing(signalId: "s\(index)", step: Self.blob("step\(index)"))])
                try store.record([.decided(signalId: "s\(index)", decision: Self.blob("d\(index)"))])
            }
            // Twenty commits into the table's one page: a frame each. With the UNIQUE index of
            // signal ids each order's commit also wrote a page of the index: thirty. A new file
            // has the store's page size.
            let pageSize = try store.queue.read { try Int.fetchOne($0, sql: "PRAGMA page_size") }
            #expect(pageSize == DirectorStore.pageSize && DirectorStore.pageSize == 4_096)
            #expect(try Self.logBytes(path) - before == 20 * (24 + DirectorStore.pageSize))
            #expect(try (1...10).map { try store.decision(of: "s\($0)") } == (1...10).map { Self.blob("d\($0)") })
        }
    }

    @Test func aFileMadeWithAnotherPageSizeKeepsItAndWorks() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            try makeFile(at: path, pageSize: 2_048)
            let store = try DirectorStore(path: path)
            try store.record([.accepted(signalId: "a", symbol: "BTC-USD", receivedUs: 1, envelope: Self.blob("e"))])
            try store.record([.decided(signalId: "a", decision: Self.blob("d"))])
            #expect(try store.queue.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 2_048)
            #expect(try store.decision(of: "a") == Self.blob("d"))
        }
    }

    @Test func stepsAndDecisionsReachTheRowsOfEarlierCommitsAfterReopeningAndTheNewestOfARepeat() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let first = try DirectorStore(path: path)
            for id in ["a", "b", "c"] {
                try first.record([.accepted(signalId: id, symbol: "BTC-USD", receivedUs: 1, envelope: Self.blob(id))])
            }
            try first.record([.executing(signalId: "b", step: Self.blob("step-b"))])
            // Reopened and not loaded: the store reads its index at its first commit.
            let second = try DirectorStore(path: path)
            try second.record([.decided(signalId: "a", decision: Self.blob("first-a")), .executing(signalId: "c", step: Self.blob("step-c")),
                               .executing(signalId: "unknown", step: Self.blob("lost"))])
            #expect(try Self.signalRows(second) == ["a - first-a", "b step-b -", "c step-c -"])
            // Reopened and loaded, and "a" accepted again (as by a director that forgot it): a row
            // of its own, which its next decision reaches and the old row keeps its own.
            let third = try DirectorStore(path: path)
            let records = try third.load(rememberedSignals: 10)
            #expect(records.pending.map(\.signalId) == ["b", "c"] && records.decidedIds == ["a"])
            try third.record([.accepted(signalId: "a", symbol: "BTC-USD", receivedUs: 2, envelope: Self.blob("a again"))])
            #expect(try third.decision(of: "a") == nil)
            try third.record([.decided(signalId: "a", decision: Self.blob("second-a")), .decided(signalId: "c", decision: Self.blob("done-c")),
                              .executing(signalId: "c", step: Self.blob("too late"))])
            #expect(try Self.signalRows(third) == ["a - first-a", "b step-b -", "c - done-c", "a - second-a"])
            #expect(try third.decision(of: "a") == Self.blob("second-a"))
            #expect(try third.decision(of: "b") == nil)
            #expect(try third.decision(of: "unknown") == nil)
        }
    }

    @Test func afterPruningTheRowsLeftStillTakeTheirChanges() throws {
        try withTemporaryDirectory { folder in
            let store = try Self.loadedStore(in: folder, remembering: 3)
            try store.record([.accepted(signalId: "old", symbol: "BTC-USD", receivedUs: 0, envelope: Self.blob("old"))])
            // One commit more than a pruning interval: the pruning runs once, in the last.
            for index in 1..<DirectorStore.pruneInterval {
                try store.record([.accepted(signalId: "s\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: Self.blob("e")),
                                  .decided(signalId: "s\(index)", decision: Self.blob("d\(index)"))])
            }
            let last = DirectorStore.pruneInterval - 1
            // Forgotten: every decided signal but the newest three. Kept: the undecided one.
            #expect(try Self.signalRows(store) == ["old - -"] + (last - 2...last).map { "s\($0) - d\($0)" })
            #expect(try store.decision(of: "s1") == nil)
            try store.record([.decided(signalId: "old", decision: Self.blob("late")),
                              .accepted(signalId: "new", symbol: "BTC-USD", receivedUs: 9, envelope: Self.blob("e"))])
            try store.record([.decided(signalId: "new", decision: Self.blob("d-new")), .decided(signalId: "s1", decision: Self.blob("gone"))])
            #expect(try store.decision(of: "old") == Self.blob("late"))
            #expect(try store.decision(of: "new") == Self.blob("d-new"))
            #expect(try store.decision(of: "s\(last)") == Self.blob("d\(last)"))
            #expect(try store.decision(of: "s1") == nil)
        }
    }

    @Test func theIndexSearchesFromTheNewestRowAndForgetsOnlyTheDeletedOnes() {
        let entries = [(1, 7), (2, 8), (4, 7), (5, 9), (6, 7)].map { SignalRowIndex.Entry(slot: Int64($0.0), fingerprint: UInt64($0.1)) }
        var index = SignalRowIndex(entries)
        #expect(index.newest(7) == 4)
        #expect(index.newest(7, before: 4) == 2)
        #expect(index.newest(7, before: 2) == 0)
        #expect(index.newest(7, before: 0) == nil)
        #expect(index.newest(3) == nil)
        index.remove([1, 4])
        #expect(index.entries.map(\.slot) == [2, 5, 6])
        index.apply([.inserted(.init(slot: 9, fingerprint: 3), decided: false)])
        #expect(index.newest(3) == 3)
    }

    @Test func theNewestRowOfASignalInFlightIsFoundWithoutASearchUntilItIsDecided() {
        let entry = { (slot: Int64, fingerprint: UInt64) in SignalRowIndex.Entry(slot: slot, fingerprint: fingerprint) }
        // Rows 1 and 3 of fingerprint 7 (3 the newest), row 2 of 8, decided, and 4 of 9.
        var index = SignalRowIndex([entry(1, 7), entry(2, 8), entry(3, 7), entry(4, 9)], undecided: [1, 3, 4])
        #expect(index.newestUndecided(7) == 3)
        #expect(index.newestUndecided(8) == nil)
        // The older row's decision leaves the newest one in flight.
        index.apply([.decided(entry(1, 7))])
        #expect(index.newestUndecided(7) == 3)
        // Thousands accepted after it change nothing of it.
        index.apply((5...5_004).map { .inserted(entry(Int64($0), UInt64($0) + 100), decided: false) })
        #expect(index.newestUndecided(7) == 3 && index.newestUndecided(5_104) == 5_004)
        // Decided: a search from the newest row back finds it from then on.
        index.apply([.decided(entry(3, 7))])
        #expect(index.newestUndecided(7) == nil)
        #expect(index.newest(7).map { index.entries[$0].slot } == 3)
        // Accepted again with its decision in the same commit: no row of it is in flight, and a
        // row inserted without one is.
        index.apply([.inserted(entry(5_005, 9), decided: true)])
        #expect(index.newestUndecided(9) == nil)
        index.apply([.inserted(entry(5_006, 9), decided: false)])
        #expect(index.newestUndecided(9) == 5_006)
    }

    @Test func aSignalAcceptedBeforeThousandsOfOthersStillGetsItsStepAndDecision() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try Self.loadedStore(in: folder, remembering: 10_000)
            try store.record([.accepted(signalId: "first", symbol: "BTC-USD", receivedUs: 0, envelope: Self.blob("e"))])
            for batch in 0..<20 {
                try store.record((0..<100).map { .accepted(signalId: "q\(batch)-\($0)", symbol: "ETH-USD", receivedUs: 1, envelope: Self.blob("e")) })
            }
            try store.record([.executing(signalId: "first", step: Self.blob("step"))])
            #expect(try Self.signalRows(store).first == "first step -")
            try store.record([.decided(signalId: "first", decision: Self.blob("d")), .decided(signalId: "q7-7", decision: Self.blob("d7"))])
            #expect(try store.decision(of: "first") == Self.blob("d"))
            #expect(try store.decision(of: "q7-7") == Self.blob("d7"))
            // Decided: a later decision goes to the same row, found by the search.
            try store.record([.decided(signalId: "first", decision: Self.blob("again"))])
            #expect(try Self.signalRows(store).filter { $0.hasPrefix("first ") } == ["first - again"])
            // Reopened: the rows in flight are read back as such.
            let reopened = try DirectorStore(path: path)
            let records = try reopened.load(rememberedSignals: 10_000)
            #expect(records.pending.count == 1_999 && records.decidedIds == ["first", "q7-7"])
            try reopened.record([.decided(signalId: "q19-99", decision: Self.blob("last"))])
            #expect(try reopened.decision(of: "q19-99") == Self.blob("last"))
        }
    }
}
