import Testing
@testable import Trading

/// An entry against positions the account already holds in the symbol closes them first, as
/// the venue nets them; only what is left is watched.
@Suite struct ExitBookNettingTests {
    let targets = [PlannedTarget(riskReward: 2, fraction: 0.5, price: 140, qty: 5),
                   PlannedTarget(riskReward: 4, fraction: 0.5, price: 180, qty: 5)]

    /// Longs s1 (10 at 100) and s2 (4 at 110) in BTC-USD for "desk", a long of another account
    /// and one in another symbol.
    func book() throws -> ExitBook {
        var book = ExitBook(maxHoldingMicros: nil)
        try book.open(signalId: "s1", traceId: "t1", symbol: "BTC-USD", account: "desk",
                      fills: [Execution(side: .buy, qty: 10, price: 100, fee: 1)], stopPrice: 80, targets: targets, plannedQty: 10, at: 0)
        try book.open(signalId: "s2", traceId: "t2", symbol: "BTC-USD", account: "desk",
                      fills: [Execution(side: .buy, qty: 4, price: 110, fee: 0.4)], stopPrice: 90, targets: [], plannedQty: 4, at: 1)
        try book.open(signalId: "other-account", traceId: "t3", symbol: "BTC-USD", account: "hedge",
                      fills: [Execution(side: .buy, qty: 3, price: 100, fee: 0)], stopPrice: 80, targets: [], plannedQty: 3, at: 2)
        try book.open(signalId: "other-symbol", traceId: "t4", symbol: "ETH-USD", account: "desk",
                      fills: [Execution(side: .buy, qty: 3, price: 100, fee: 0)], stopPrice: 80, targets: [], plannedQty: 3, at: 3)
        return book
    }

    @Test func aSmallerOppositeEntryReducesTheOldestPositionAndWatchesNothingNew() throws {
        var book = try book()
        let offsets = try book.open(signalId: "s5", traceId: "t5", symbol: "BTC-USD", account: "desk",
                                    fills: [Execution(side: .sell, qty: 6, price: 120, fee: 0.6)], stopPrice: 140, targets: [],
                                    plannedQty: 6, at: 10)
        #expect(offsets.map(\.openingSignalId) == ["s1"])
        let trade = try #require(offsets.first?.trades.first)
        // (120 − 100) × 6 − (6/10 of the entry fee 1 + the exit fee 0.6) = 118.8.
        #expect(trade.qty == 6 && trade.entryPrice == 100 && trade.exitPrice == 120 && trade.netPnl == 118.8)
        let desk = book.watched(symbol: "BTC-USD").filter { $0.account == "desk" }
        #expect(desk.map(\.openingSignalId) == ["s1", "s2"])
        #expect(desk[0].openQty == 4 && desk[0].tracker.remainingQty == 4)
        #expect(!desk.contains { $0.tracker.side == .sell }, "no short is watched beside the longs")
        // The reduced position's next target exits at most what is left of it.
        let due = book.evaluate(symbol: "BTC-USD", bid: 141, ask: 142, at: 20).filter { $0.openingSignalId == "s1" }
        #expect(due.map(\.action.qty) == [4])
    }

    @Test func aLargerOppositeEntryClosesThePositionsOldestFirstAndWatchesTheRest() throws {
        var book = try book()
        let offsets = try book.open(signalId: "s5", traceId: "t5", symbol: "BTC-USD", account: "desk",
                                    fills: [Execution(side: .sell, qty: 20, price: 120, fee: 2)], stopPrice: 140,
                                    targets: [PlannedTarget(riskReward: 1, fraction: 0.5, price: 100, qty: 10),
                                              PlannedTarget(riskReward: 2, fraction: 0.5, price: 80, qty: 10)],
                                    plannedQty: 20, at: 10)
        #expect(offsets.map(\.openingSignalId) == ["s1", "s2"])
        #expect(offsets.map { $0.trades.reduce(0) { $0 + $1.qty } } == [10, 4])
        let desk = book.watched(symbol: "BTC-USD").filter { $0.account == "desk" }
        #expect(desk.map(\.openingSignalId) == ["s5"])
        let short = try #require(desk.first)
        #expect(short.tracker.side == .sell && short.openQty == 6 && short.tracker.remainingQty == 6)
        // Its fee is the unused 6/20 of the entry's, and its targets are scaled to the 6 left.
        #expect(short.matcher.lots.first?.fee ?? 0 == 0.6)
        #expect(zip(short.tracker.targets.map(\.qty), [3, 3]).allSatisfy { $0 == $1 })
        #expect(book.watched().contains { $0.openingSignalId == "other-account" } && book.watched().contains { $0.openingSignalId == "other-symbol" })
    }

    @Test func anExactlyOffsettingEntryLeavesTheAccountFlatInTheSymbol() throws {
        var book = try book()
        let offsets = try book.open(signalId: "s5", traceId: "t5", symbol: "BTC-USD", account: "desk",
                                    fills: [Execution(side: .sell, qty: 14, price: 120, fee: 0)], stopPrice: 140, targets: [],
                                    plannedQty: 14, at: 10)
        #expect(offsets.count == 2)
        #expect(!book.watched(symbol: "BTC-USD").contains { $0.account == "desk" })
        #expect(book.evaluate(symbol: "BTC-USD", bid: 1, ask: 2, at: 20).allSatisfy { $0.account == "hedge" })
    }

    @Test func aPlanThatCannotBeTrackedChangesNothing() throws {
        var book = try book()
        let before = book.watched()
        #expect(throws: TradingError.self) {
            try book.open(signalId: "s5", traceId: "t5", symbol: "BTC-USD", account: "desk",
                          fills: [Execution(side: .sell, qty: 20, price: 120, fee: 0)], stopPrice: 0, targets: [],
                          plannedQty: 20, at: 10)
        }
        #expect(book.watched() == before)
    }

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(b)) }
}
