import Foundation
import GRDB
@testable import Ledger
import Testing

/// A director store that holds as many signals as it remembers writes each new signal over the
/// row of the oldest decided one: the file keeps the same rows, a signal's commits each rewrite
/// one page, and nothing a signal in flight or a late change needs is written over.
struct DirectorRowReuseTests {
    static let envelope = Data(repeating: UInt8(ascii: "e"), count: 240)
    static let step = Data(repeating: UInt8(ascii: "s"), count: 980)
    static func decision(_ index: Int) -> Data { Data("d\(index)-".utf8) + Data(repeating: UInt8(ascii: "d"), count: 1_400) }

    /// A signal's two commits as the director makes them: accepted with its step, then decided.
    static func cycle(_ store: DirectorStore, _ index: Int) throws {
        try store.record([.accepted(signalId: "s\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: envelope),
                          .executing(signalId: "s\(index)", step: step)])
        try store.record([.decided(signalId: "s\(index)", decision: decision(index))])
    }

    static func idsBySeq(_ store: DirectorStore) throws -> [String] {
        try store.queue.read { try String.fetchAll($0, sql: "SELECT signal_id FROM signals ORDER BY seq") }
    }

    static func slots(_ store: DirectorStore) throws -> Set<Int64> {
        Set(try store.queue.read { try Int64.fetchAll($0, sql: "SELECT slot FROM signals") })
    }

    static func logBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test func aFullStoreWritesEachNewSignalOverTheOldestDecidedRowAndReadsBackInArrivalOrder() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path)
            _ = try store.load(rememberedSignals: 5)
            for index in 0..<25 { try Self.cycle(store, index) }
            #expect(try Self.slots(store) == Set(1...5))
            #expect(try Self.idsBySeq(store) == (20..<25).map { "s\($0)" })
            #expect(try store.decision(of: "s24") == Self.decision(24))
            #expect(try store.decision(of: "s19") == nil)
            let records = try DirectorStore(path: path).load(rememberedSignals: 5)
            #expect(records.decidedIds == (20..<25).map { "s\($0)" } && records.pending.isEmpty)
            // Reopened, it goes on from the oldest row.
            let reopened = try DirectorStore(path: path)
            _ = try reopened.load(rememberedSignals: 5)
            try Self.cycle(reopened, 25)
            #expect(try Self.idsBySeq(reopened) == (21...25).map { "s\($0)" } && (try Self.slots(reopened)) == Set(1...5))
        }
    }

    @Test func reopenedRememberingFewerItForgetsTheOldestDecidedByArrivalNotByRow() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path)
            _ = try store.load(rememberedSignals: 6)
            try store.record([.accepted(signalId: "waiting", symbol: "ETH-USD", receivedUs: 0, envelope: Self.envelope)])
            // Rows taken in turn: the slots no longer follow the order signals came in.
            for index in 0..<20 { try Self.cycle(store, index) }
            let reopened = try DirectorStore(path: path)
            let records = try reopened.load(rememberedSignals: 3)
            #expect(records.decidedIds == ["s17", "s18", "s19"] && records.pending.map(\.signalId) == ["waiting"])
            #expect(try Self.idsBySeq(reopened) == ["waiting", "s17", "s18", "s19"])
            // And it goes on taking the oldest decided row.
            try Self.cycle(reopened, 20)
            #expect(try Self.idsBySeq(reopened) == ["waiting", "s18", "s19", "s20"])
        }
    }

    @Test func aSignalsCommitsInAFullStoreEachRewriteOnePageOfLog() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            // As the director opens it: no sync per commit, checkpoints apart (none in 20 commits).
            let store = try DirectorStore(path: path, syncEveryCommit: false, checkpointsApart: true)
            _ = try store.load(rememberedSignals: 10)
            for index in 0..<12 { try Self.cycle(store, index) }
            let before = Self.logBytes(path)
            for index in 12..<22 { try Self.cycle(store, index) }
            // A row of each signal's own page, rewritten in place by both its commits: no page
            // taken from the free list, no parent page or file header changed.
            #expect(Self.logBytes(path) - before == 20 * (24 + DirectorStore.pageSize))
            #expect(try Self.idsBySeq(store) == (12..<22).map { "s\($0)" })
        }
    }

    /// A filled signal's row at the sizes the director writes it: its envelope (about 280
    /// bytes), its step (the analysis and the approved verdict with its plan, about 1,900) and
    /// its decision (those again with the fill, about 1,950; more with several fills). Neither
    /// form of the row spills to an overflow page, so each commit still rewrites one page; with
    /// 2 KB pages the decided row took an overflow page, freed again when the row was next
    /// written over, and each commit also wrote a page of the free list and the file's header.
    @Test(arguments: [1_950, 3_000])
    func aFilledSignalsRowAtItsRealSizeStaysOnItsOwnPage(decisionBytes: Int) throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path, syncEveryCommit: false, checkpointsApart: true)
            _ = try store.load(rememberedSignals: 10)
            let envelope = Data(repeating: UInt8(ascii: "e"), count: 280)
            let step = Data(repeating: UInt8(ascii: "s"), count: 1_900)
            let decision = { (index: Int) in Data("d\(index)-".utf8) + Data(repeating: UInt8(ascii: "d"), count: decisionBytes) }
            func cycle(_ index: Int) throws {
                try store.record([.accepted(signalId: "s\(index)", symbol: "ETH-USD", receivedUs: Int64(index), envelope: envelope),
                                  .executing(signalId: "s\(index)", step: step)])
                try store.record([.decided(signalId: "s\(index)", decision: decision(index))])
            }
            for index in 0..<12 { try cycle(index) }
            let before = Self.logBytes(path)
            for index in 12..<22 { try cycle(index) }
            #expect(Self.logBytes(path) - before == 20 * (24 + DirectorStore.pageSize))
            #expect(try store.decision(of: "s21") == decision(21))
            #expect(try store.queue.read { try Int.fetchOne($0, sql: "PRAGMA freelist_count") } == 0)
        }
    }

    @Test func signalsInFlightAreNeverWrittenOverHoweverOld() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path)
            _ = try store.load(rememberedSignals: 3)
            try store.record([.accepted(signalId: "waiting", symbol: "ETH-USD", receivedUs: 0, envelope: Self.envelope),
                              .executing(signalId: "waiting", step: Self.step)])
            for index in 0..<30 { try Self.cycle(store, index) }
            #expect(try Self.idsBySeq(store) == ["waiting", "s27", "s28", "s29"])
            let records = try DirectorStore(path: path).load(rememberedSignals: 3)
            #expect(records.pending.map(\.signalId) == ["waiting"] && records.pending.first?.step == Self.step)
            // Decided at last, it is the oldest and the next signal takes its row; s27, beyond
            // the newest three from then on, waits for the pruning.
            try store.record([.decided(signalId: "waiting", decision: Self.decision(-1))])
            try Self.cycle(store, 30)
            let ids = try Self.idsBySeq(store)
            #expect(ids == ["s27", "s28", "s29", "s30"])
            #expect(try Self.slots(store) == Set(1...4))
        }
    }

    @Test func aLateChangeOfASignalWhoseRowWasTakenLeavesTheNewSignalAlone() throws {
        try withTemporaryDirectory { folder in
            let store = try DirectorStore(path: folder + "/director.sqlite")
            _ = try store.load(rememberedSignals: 1)
            try Self.cycle(store, 0)
            try store.record([.accepted(signalId: "s1", symbol: "BTC-USD", receivedUs: 1, envelope: Self.envelope)])
            #expect(try Self.slots(store) == [1])
            // s0's row is s1's now: s0's late step and decision reach no row.
            try store.record([.executing(signalId: "s0", step: Self.blob("late step")), .decided(signalId: "s0", decision: Self.blob("late"))])
            #expect(try store.decision(of: "s0") == nil && (try store.decision(of: "s1")) == nil)
            let pending = try DirectorStore(path: folder + "/director.sqlite").load(rememberedSignals: 1).pending
            #expect(pending.map(\.signalId) == ["s1"] && pending.first?.step == nil && pending.first?.envelope == Self.envelope)
        }
    }

    @Test func signalsAcceptedTogetherTakeTheOldestRowsInOrder() throws {
        try withTemporaryDirectory { folder in
            let store = try DirectorStore(path: folder + "/director.sqlite")
            _ = try store.load(rememberedSignals: 4)
            for index in 0..<4 { try Self.cycle(store, index) }
            // Three signals and a decision of the newest old one in one commit.
            try store.record((4..<7).map { .accepted(signalId: "s\($0)", symbol: "BTC-USD", receivedUs: Int64($0), envelope: Self.envelope) }
                             + [.decided(signalId: "s3", decision: Self.blob("again"))])
            #expect(try Self.idsBySeq(store) == ["s3", "s4", "s5", "s6"])
            #expect(try Self.slots(store) == Set(1...4))
            #expect(try store.decision(of: "s3") == Self.blob("again"))
        }
    }

    @Test func whenTheOldestRowsAreAllInFlightSignalsGetRowsOfTheirOwnAndThePruningTakesTheExtraLater() throws {
        try withTemporaryDirectory { folder in
            let store = try DirectorStore(path: folder + "/director.sqlite")
            _ = try store.load(rememberedSignals: 2)
            let queued = SignalRowIndex.reuseReach + 2
            for index in 0..<queued {
                try store.record([.accepted(signalId: "q\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: Self.envelope)])
            }
            // Every row is in flight: the next signal cannot take any of them.
            try Self.cycle(store, 0)
            #expect(try store.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM signals") } == queued + 1)
            try store.record((0..<queued).map { .decided(signalId: "q\($0)", decision: Self.blob("done")) })
            // Decided, the oldest rows are taken again, and the pruning deletes what is left
            // beyond the newest two within its interval.
            for index in 1..<(DirectorStore.pruneInterval / 2 + 1) { try Self.cycle(store, index) }
            let last = DirectorStore.pruneInterval / 2
            let ids = try Self.idsBySeq(store)
            #expect(ids == ["s\(last - 1)", "s\(last)"])
        }
    }

    @Test func theIndexOffersTheOldestDecidedRowsWithinReachAndForgetsThemAsTheyAreTaken() {
        let entries = (1...6).map { SignalRowIndex.Entry(slot: Int64($0), fingerprint: UInt64(100 + $0)) }
        // Rows 1 and 3 in flight.
        var index = SignalRowIndex(entries, undecided: [1, 3], lastSeq: 6)
        // Remembering 4, with 6 held: three signals in leave rows 1–5 beyond the newest four,
        // and of those 2, 4 and 5 are decided.
        #expect(index.reusableSlots(count: 3, remembered: 4) == [2, 4, 5])
        // Remembering 5: one signal in leaves rows 1 and 2 beyond; remembering 6, only row 1.
        #expect(index.reusableSlots(count: 1, remembered: 5) == [2])
        #expect(index.reusableSlots(count: 1, remembered: 6) == [nil])
        #expect(index.forgettable(remembered: 4) == [2])
        index.apply([.reused(.init(slot: 2, fingerprint: 200), decided: false), .reused(.init(slot: 4, fingerprint: 201), decided: true)])
        #expect(index.entries.map(\.slot) == [1, 3, 5, 6, 2, 4])
        #expect(index.lastSeq == 8 && index.newestUndecided(200) == 2 && index.newestUndecided(102) == nil)
        // The new signal in row 2 is in flight: only row 5 is offered now.
        #expect(index.reusableSlots(count: 2, remembered: 1) == [5, 6])
        #expect(index.newest(201).map { index.entries[$0].slot } == 4)
    }

    static func blob(_ text: String) -> Data { Data(text.utf8) }
}
