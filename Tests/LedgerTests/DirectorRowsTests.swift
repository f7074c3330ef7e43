import Foundation
import GRDB
@testable import Ledger
import Testing

/// A signal's changes merged into one row per transaction leave the store exactly as writing
/// them one by one does.
struct DirectorRowsTests {
    static func blob(_ text: String) -> Data { Data(text.utf8) }

    /// Every row of both tables, in a comparable form.
    static func contents(_ store: DirectorStore) throws -> [String] {
        try store.queue.read { db in
            let signals = try Row.fetchAll(db, sql: "SELECT seq, signal_id, symbol, received_us, envelope, step, decision FROM signals ORDER BY seq")
            let positions = try Row.fetchAll(db, sql: "SELECT seq, opening_signal_id, symbol, state FROM positions ORDER BY seq")
            return (signals + positions).map(\.description)
        }
    }

    /// A random history of the kind the director writes: signals accepted once each (the
    /// director accepts an id once while it remembers it; `accepted` holds those accepted
    /// earlier), given a step and a decision later, some already on record from earlier batches,
    /// steps and decisions of unknown signals, and positions written, rewritten and closed.
    static func history(seed: UInt64, count: Int, accepted: inout Set<String>) -> [DirectorChange] {
        var random = SeededRandom(seed: seed)
        var changes: [DirectorChange] = []
        for index in 0..<count {
            let signal = "s\(random.next(upTo: 12))", position = "p\(random.next(upTo: 4))"
            switch random.next(upTo: 6) {
            case 0...1 where accepted.insert(signal).inserted:
                changes.append(.accepted(signalId: signal, symbol: "BTC-USD", receivedUs: Int64(index), envelope: blob("e\(index)")))
            case 0...1: changes.append(.executing(signalId: signal, step: blob("again\(index)")))
            case 2: changes.append(.executing(signalId: signal, step: blob("step\(index)")))
            case 3: changes.append(.decided(signalId: signal, decision: blob("decision\(index)")))
            case 4: changes.append(.position(openingSignalId: position, symbol: "ETH-USD", state: blob("state\(index)")))
            default: changes.append(.positionClosed(openingSignalId: position))
            }
        }
        return changes
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func aBatchWrittenAsMergedRowsEqualsItsChangesWrittenOneByOne(seed: UInt64) throws {
        try withTemporaryDirectory { folder in
            let merged = try DirectorStore(path: folder + "/merged.sqlite")
            let single = try DirectorStore(path: folder + "/single.sqlite")
            // Some signals and positions are on record before the batch.
            var accepted: Set<String> = []
            let before = Self.history(seed: seed &* 7_919, count: 10, accepted: &accepted)
            let batch = Self.history(seed: seed, count: 60, accepted: &accepted)
            for store in [merged, single] { try store.record(before) }
            try merged.record(batch)
            for change in batch { try single.record([change]) }
            #expect(try Self.contents(merged) == Self.contents(single))
        }
    }

    @Test func aSignalAcceptedAndDecidedInOneBatchIsOneRowWrittenOnce() throws {
        let rows = DirectorRows([
            .accepted(signalId: "a", symbol: "BTC-USD", receivedUs: 1, envelope: Self.blob("signal")),
            .position(openingSignalId: "p", symbol: "BTC-USD", state: Self.blob("v1")),
            .executing(signalId: "a", step: Self.blob("step")),
            .decided(signalId: "a", decision: Self.blob("decision")),
            .accepted(signalId: "a", symbol: "BTC-USD", receivedUs: 2, envelope: Self.blob("again")),
            .decided(signalId: "older", decision: Self.blob("d")),
        ]).rows
        #expect(rows == [
            .signal(.init(signalId: "a", symbol: "BTC-USD", receivedUs: 1, envelope: Self.blob("signal"), step: Self.blob("step"),
                          decision: Self.blob("decision"))),
            .position(openingSignalId: "p", symbol: "BTC-USD", state: Self.blob("v1")),
            .decision(signalId: "older", Self.blob("d")),
        ])
    }
}

/// A small deterministic generator (splitmix64), so a failing seed can be replayed.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(upTo bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
