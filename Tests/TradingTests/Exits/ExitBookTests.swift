import Testing
@testable import Trading

@Suite struct ExitBookTests {
    /// Long 10 planned at 100 with stop 80 and targets 140 × 5, 160 × 3, 180 × 2 (the
    /// planner's defaults for ATR 10); `filled` of it bought at 100 with a fee of 1.
    func book(filled: Quantity = 10, maxHoldingMicros: Int64? = nil) throws -> ExitBook {
        var book = ExitBook(maxHoldingMicros: maxHoldingMicros)
        let targets = [PlannedTarget(riskReward: 2, fraction: 0.5, price: 140, qty: 5),
                       PlannedTarget(riskReward: 3, fraction: 0.3, price: 160, qty: 3),
                       PlannedTarget(riskReward: 4, fraction: 0.2, price: 180, qty: 2)]
        try book.open(signalId: "s1", traceId: "t1", symbol: "BTC-USD", account: "desk",
                      fills: [Execution(side: .buy, qty: filled, price: 100, fee: 1)], stopPrice: 80, targets: targets,
                      plannedQty: 10, at: 0)
        return book
    }

    @Test func aPartlyFilledEntryExitsTheSameFractionsOfWhatFilled() throws {
        let book = try book(filled: 7)
        let position = try #require(book.watched().first)
        let parts = position.tracker.targets.map(\.qty)
        #expect(zip(parts, [3.5, 2.1, 1.4]).allSatisfy { $0 == $1 })
        #expect(parts.reduce(0, +) == 7, "the last target takes exactly what the others leave")
        #expect(position.openQty == 7 && position.entryPrice == 100)
        #expect(book.openTrades == [OpenTrade(symbol: "BTC-USD", side: .buy, qty: 7, entryPrice: 100, stopPrice: 80)])
    }

    @Test func longsAreJudgedAtTheBidAndEachExitIsNamed() throws {
        var book = try book()
        // The ask reaches the first target but the bid, where a long sells, does not.
        let below = book.evaluate(symbol: "BTC-USD", bid: 139, ask: 141, at: 1)
        let otherSymbol = book.evaluate(symbol: "ETH-USD", bid: 150, ask: 151, at: 1)
        #expect(below.isEmpty && otherSymbol.isEmpty)
        let due = book.evaluate(symbol: "BTC-USD", bid: 140, ask: 142, at: 2)
        #expect(due.map(\.kind) == ["tp1"] && due.map(\.attempt) == [1] && due.map(\.action.qty) == [5])
        #expect(due.first?.openingSignalId == "s1" && due.first?.openingTraceId == "t1" && due.first?.account == "desk")
    }

    @Test func exitFillsCloseTradesAndAClosedPositionIsForgotten() throws {
        var book = try book()
        let tp = try #require(book.evaluate(symbol: "BTC-USD", bid: 141, ask: 142, at: 10).first)
        let first = book.filled(tp, fills: [Execution(side: .sell, qty: 5, price: 141, fee: 0.5)], at: 20)
        // (141 − 100) × 5 − (half the entry fee 0.5 + the exit fee 0.5) = 204.
        #expect(first.count == 1 && first[0].netPnl == 204)
        #expect(first[0].entryTimeMicros == 0 && first[0].exitTimeMicros == 20)
        let stop = try #require(book.evaluate(symbol: "BTC-USD", bid: 79, ask: 80, at: 30).first)
        #expect(stop.kind == "stop" && stop.action.qty == 5)
        let second = book.filled(stop, fills: [Execution(side: .sell, qty: 5, price: 79, fee: 0.5)], at: 40)
        #expect(second.reduce(0) { $0 + $1.netPnl } == -106)
        #expect(book.watched().isEmpty && book.openTrades.isEmpty)
    }

    @Test func aTimedOutExitIsRetriedUnderTheSameAttempt() throws {
        var book = try book()
        let stop = try #require(book.evaluate(symbol: "BTC-USD", bid: 79, ask: 80, at: 1).first)
        let whileSent = book.evaluate(symbol: "BTC-USD", bid: 78, ask: 79, at: 2)
        #expect(whileSent.isEmpty)
        let rearmed = book.failed(stop, definitive: false)
        #expect(rearmed)
        let again = try #require(book.evaluate(symbol: "BTC-USD", bid: 78, ask: 79, at: 3).first)
        #expect(again.kind == "stop" && again.attempt == 1 && again.action.qty == 10)
    }

    @Test func venueRejectionsGetFreshAttemptsUntilTheLimit() throws {
        var book = try book()
        var attempts: [Int] = []
        for time in Int64(1)...Int64(ExitBook.maxRejections) {
            let due = try #require(book.evaluate(symbol: "BTC-USD", bid: 79, ask: 80, at: time).first)
            attempts.append(due.attempt)
            let retried = book.failed(due, definitive: true)
            #expect(retried == (time < ExitBook.maxRejections))
        }
        #expect(attempts == [1, 2, 3])
        // Dropped: no longer due, though the position is still open.
        let dropped = book.evaluate(symbol: "BTC-USD", bid: 70, ask: 71, at: 10)
        #expect(dropped.isEmpty && book.watched().count == 1)
    }

    @Test func theTimeStopFiresBetweenTicksAtTheLastTouch() throws {
        var book = try book(maxHoldingMicros: 100)
        let untouched = book.reevaluate(at: 200)
        #expect(untouched.isEmpty, "no touch seen yet")
        let early = book.evaluate(symbol: "BTC-USD", bid: 101, ask: 102, at: 50)
        #expect(early.isEmpty)
        let due = book.reevaluate(at: 100)
        #expect(due.map(\.kind) == ["time"] && due.map(\.action.observedPrice) == [101] && due.map(\.action.qty) == [10])
    }

    @Test func shortsAreJudgedAtTheAsk() throws {
        var book = ExitBook(maxHoldingMicros: nil)
        try book.open(signalId: "s", traceId: "t", symbol: "ETH-USD", account: "desk",
                      fills: [Execution(side: .sell, qty: 2, price: 100, fee: 0)], stopPrice: 110,
                      targets: [PlannedTarget(riskReward: 2, fraction: 1, price: 80, qty: 2)], plannedQty: 2, at: 0)
        let askAbove = book.evaluate(symbol: "ETH-USD", bid: 79, ask: 81, at: 1)
        let askAt = book.evaluate(symbol: "ETH-USD", bid: 78, ask: 80, at: 2)
        #expect(askAbove.isEmpty && askAt.map(\.action.side) == [.buy])
    }

    @Test func anEntryThatFilledNothingIsRefused() {
        var book = ExitBook(maxHoldingMicros: nil)
        #expect(throws: TradingError.self) {
            try book.open(signalId: "s", traceId: "t", symbol: "BTC-USD", account: "desk", fills: [], stopPrice: 80,
                          targets: [], plannedQty: 1, at: 0)
        }
    }
}
