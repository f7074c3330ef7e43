import Testing
@testable import Trading

@Suite struct ExitTrackerTests {
    /// The default plan for buying 10 at 100 with ATR 10: stop 80, targets 140 × 5, 160 × 3, 180 × 2.
    func longTracker(maxHoldingMicros: Int64? = 1_000) throws -> ExitTracker {
        let plan = try #require(TradePlanner().plan(
            TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 10), portfolio: PortfolioSnapshot(capital: 10_000, cash: 10_000)).plan)
        return try #require(ExitTracker(plan: plan, entryTimeMicros: 0, maxHoldingMicros: maxHoldingMicros))
    }

    @Test func partialExitsInOrderThenTheStop() throws {
        var tracker = try longTracker()
        #expect(tracker.evaluate(price: 120, timeMicros: 1).isEmpty)
        let first = tracker.evaluate(price: 141, timeMicros: 2)
        #expect(first == [ExitAction(reason: .takeProfit, qty: 5, side: .sell, triggerPrice: 140, observedPrice: 141,
                                     targetIndex: 0, remainingAfter: 5)])
        // Each target once: back below and above 140 again does nothing.
        #expect(tracker.evaluate(price: 139, timeMicros: 3).isEmpty)
        #expect(tracker.evaluate(price: 150, timeMicros: 4).isEmpty)
        let second = tracker.evaluate(price: 165, timeMicros: 5)
        #expect(second.map(\.reason) == [.takeProfit] && second.map(\.qty) == [3] && second.map(\.targetIndex) == [1])
        #expect(tracker.remainingQty == 2 && tracker.targetsHit == [true, true, false])
        // The stop takes only what is left.
        let stopped = tracker.evaluate(price: 79, timeMicros: 6)
        #expect(stopped == [ExitAction(reason: .stopLoss, qty: 2, side: .sell, triggerPrice: 80, observedPrice: 79, remainingAfter: 0)])
        #expect(tracker.isClosed && tracker.evaluate(price: 200, timeMicros: 7).isEmpty)
    }

    @Test func aGapThroughSeveralTargetsTakesThemAllNearestFirst() throws {
        var tracker = try longTracker()
        let actions = tracker.evaluate(price: 185, timeMicros: 1)
        #expect(actions.map(\.targetIndex) == [0, 1, 2])
        #expect(actions.map(\.qty) == [5, 3, 2] && actions.map(\.triggerPrice) == [140, 160, 180])
        #expect(actions.map(\.remainingAfter) == [5, 2, 0] && tracker.isClosed)
    }

    @Test func aGapThroughTheStopExitsEverything() throws {
        var tracker = try longTracker()
        let actions = tracker.evaluate(price: 50, timeMicros: 1)
        #expect(actions.map(\.reason) == [.stopLoss] && actions.map(\.qty) == [10] && actions.map(\.observedPrice) == [50])
    }

    @Test func timeStopAfterTheHoldingLimit() throws {
        var tracker = try longTracker()
        #expect(tracker.evaluate(price: 120, timeMicros: 999).isEmpty)
        #expect(tracker.evaluate(price: 120, timeMicros: 1_000)
            == [ExitAction(reason: .timeStop, qty: 10, side: .sell, triggerPrice: 120, observedPrice: 120, remainingAfter: 0)])
        // A target reached at the limit is taken first, then the rest goes.
        var late = try longTracker()
        let actions = late.evaluate(price: 141, timeMicros: 5_000)
        #expect(actions.map(\.reason) == [.takeProfit, .timeStop] && actions.map(\.qty) == [5, 5])
        // No limit, no time stop.
        var patient = try longTracker(maxHoldingMicros: nil)
        #expect(patient.evaluate(price: 120, timeMicros: .max).isEmpty)
    }

    @Test func shortPositionExitsMirrorTheLong() throws {
        let targets = [PlannedTarget(riskReward: 2, fraction: 0.5, price: 90, qty: 10),
                       PlannedTarget(riskReward: 3, fraction: 0.3, price: 85, qty: 6),
                       PlannedTarget(riskReward: 4, fraction: 0.2, price: 80, qty: 4)]
        var tracker = try #require(ExitTracker(side: .sell, qty: 20, stopPrice: 105, targets: targets, entryTimeMicros: 0))
        #expect(tracker.evaluate(price: 95, timeMicros: 1).isEmpty)
        let actions = tracker.evaluate(price: 84, timeMicros: 2)
        #expect(actions.map(\.qty) == [10, 6] && actions.allSatisfy { $0.side == .buy } && tracker.remainingQty == 4)
        #expect(tracker.evaluate(price: 106, timeMicros: 3).map(\.qty) == [4])
    }

    @Test func badPricesAndImpossiblePlansGiveNothing() throws {
        var tracker = try longTracker()
        #expect(tracker.evaluate(price: -1, timeMicros: 1).isEmpty)
        #expect(tracker.evaluate(price: 0, timeMicros: 2_000).isEmpty)
        #expect(tracker.remainingQty == 10)
        let target = PlannedTarget(riskReward: 2, fraction: 1, price: 140, qty: 11)
        #expect(ExitTracker(side: .buy, qty: 10, stopPrice: 80, targets: [target], entryTimeMicros: 0) == nil)
        #expect(ExitTracker(side: .buy, qty: 0, stopPrice: 80, targets: [], entryTimeMicros: 0) == nil)
        #expect(ExitTracker(side: .buy, qty: 1, stopPrice: 0, targets: [], entryTimeMicros: 0) == nil)
        #expect(ExitTracker(side: .buy, qty: 1, stopPrice: 80, targets: [], entryTimeMicros: 0, maxHoldingMicros: 0) == nil)
    }

    @Test func movingTheStopToBreakEvenIsHonoured() throws {
        var tracker = try longTracker()
        _ = tracker.evaluate(price: 141, timeMicros: 1)
        tracker.stopPrice = 100
        #expect(tracker.evaluate(price: 99, timeMicros: 2).map(\.qty) == [5])
    }
}

@Suite struct ExitTrackerRearmTests {
    @Test func aFailedExitIsDueAgainAtTheNextEvaluation() throws {
        let plan = try #require(TradePlanner().plan(
            TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 10), portfolio: PortfolioSnapshot(capital: 10_000, cash: 10_000)).plan)
        var tracker = try #require(ExitTracker(plan: plan, entryTimeMicros: 0))
        let first = tracker.evaluate(price: 141, timeMicros: 1)
        #expect(first.map(\.targetIndex) == [0] && tracker.remainingQty == 5)
        tracker.rearm(try #require(first.first))
        #expect(tracker.remainingQty == 10 && tracker.targetsHit == [false, false, false])
        #expect(tracker.evaluate(price: 142, timeMicros: 2) == [ExitAction(
            reason: .takeProfit, qty: 5, side: .sell, triggerPrice: 140, observedPrice: 142, targetIndex: 0, remainingAfter: 5)])
        let stop = tracker.evaluate(price: 70, timeMicros: 3)
        #expect(stop.map(\.qty) == [5] && tracker.isClosed)
        tracker.rearm(try #require(stop.first))
        #expect(tracker.evaluate(price: 70, timeMicros: 4).map(\.qty) == [5])
    }
}
