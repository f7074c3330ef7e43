import Testing
@testable import Trading

@Suite struct FifoTradeMatcherTests {
    @Test func partialClosesTakeTheOldestLotFirst() throws {
        var matcher = FifoTradeMatcher(symbol: "BTC-USD")
        #expect(try matcher.apply(side: .buy, qty: 10, price: 100, fee: 1, timeMicros: 0).isEmpty)
        #expect(try matcher.apply(side: .buy, qty: 5, price: 110, fee: 0.5, timeMicros: 10).isEmpty)
        #expect(matcher.netQty == 15)
        // sell 12 @ 120, fee 1.2: all of the first lot (10), then 2 of the second
        let closed = try matcher.apply(side: .sell, qty: 12, price: 120, fee: 1.2, timeMicros: 20)
        #expect(closed.count == 2)
        // lot 1: (120 − 100) × 10 = 200; fees 1 (whole entry fee) + 1.2 × 10/12 = 2.0
        #expect(closed[0].qty == 10 && closed[0].entryPrice == 100 && closed[0].entryTimeMicros == 0)
        #expect(closed[0].grossPnl == 200 && closed[0].fees == 2.0)
        // lot 2: (120 − 110) × 2 = 20; fees 0.5 × 2/5 + 1.2 × 2/12 = 0.2 + 0.2
        #expect(closed[1].qty == 2 && closed[1].entryPrice == 110 && closed[1].entryTimeMicros == 10)
        #expect(closed[1].grossPnl == 20 && closed[1].fees == 0.4)
        #expect(closed.allSatisfy { $0.side == .buy && $0.exitPrice == 120 && $0.exitTimeMicros == 20 && $0.symbol == "BTC-USD" })
        // 3 of the second lot stay open, carrying 0.5 × 3/5 = 0.3 of its fee.
        #expect(matcher.lots.count == 1 && matcher.lots[0].qty == 3 && matcher.lots[0].fee == 0.3)
        // sell the last 3 @ 105: (105 − 110) × 3 = −15; fees 0.3 + 0.3
        let last = try matcher.apply(side: .sell, qty: 3, price: 105, fee: 0.3, timeMicros: 30)
        #expect(last.count == 1 && last[0].grossPnl == -15 && last[0].fees == 0.6)
        #expect(matcher.lots.isEmpty && matcher.netQty == 0)
        // Every fee paid (1 + 0.5 + 1.2 + 0.3 = 3) ends up on exactly one trade.
        #expect((closed + last).reduce(0) { $0 + $1.fees } == 3)
    }

    @Test func aFlipClosesTheLongAndOpensAShort() throws {
        var matcher = FifoTradeMatcher()
        _ = try matcher.apply(side: .buy, qty: 4, price: 100, fee: 0.4, timeMicros: 0)
        // sell 10 @ 90: closes the 4 long ((90 − 100) × 4 = −40, fees 0.4 + 1.0 × 4/10) and
        // opens 6 short at 90 carrying 1.0 × 6/10 = 0.6 of the fee
        let flip = try matcher.apply(side: .sell, qty: 10, price: 90, fee: 1.0, timeMicros: 5)
        #expect(flip.count == 1 && flip[0].side == .buy && flip[0].qty == 4 && flip[0].grossPnl == -40)
        #expect(flip[0].fees == 0.8)
        #expect(matcher.netQty == -6 && matcher.lots[0].side == .sell && matcher.lots[0].price == 90)
        #expect(matcher.lots[0].fee == 0.6 && matcher.lots[0].timeMicros == 5)
        // buy 6 @ 80 closes the short: (90 − 80) × 6 = +60, fees 0.6 + 0.6
        let cover = try matcher.apply(side: .buy, qty: 6, price: 80, fee: 0.6, timeMicros: 9)
        #expect(cover.count == 1 && cover[0].side == .sell && cover[0].grossPnl == 60)
        #expect(cover[0].netPnl == 58.8 && cover[0].holdingMicros == 4)
        #expect(matcher.lots.isEmpty)
    }

    @Test func closingExactlyWhatWasBoughtLeavesNoDust() throws {
        var matcher = FifoTradeMatcher()
        _ = try matcher.apply(side: .buy, qty: 0.1, price: 100, fee: 0, timeMicros: 0)
        _ = try matcher.apply(side: .buy, qty: 0.2, price: 100, fee: 0, timeMicros: 1)
        let closed = try matcher.apply(side: .sell, qty: 0.3, price: 101, fee: 0, timeMicros: 2)
        #expect(closed.count == 2 && matcher.lots.isEmpty && matcher.netQty == 0)
    }

    @Test func unusableFillsAreRefusedAndChangeNothing() throws {
        var matcher = FifoTradeMatcher(symbol: "BTC-USD")
        _ = try matcher.apply(side: .buy, qty: 1, price: 100, fee: 0, timeMicros: 0)
        let before = matcher
        #expect(throws: TradingError(.invalidQuantity, "fill quantity must be positive, got 0")) {
            try matcher.apply(side: .sell, qty: 0, price: 100, fee: 0, timeMicros: 1)
        }
        #expect(throws: TradingError(.invalidPrice, "fill price must be positive, got -1")) {
            try matcher.apply(side: .sell, qty: 1, price: -1, fee: 0, timeMicros: 1)
        }
        #expect(throws: TradingError(.invalidFee, "fill fee must not be negative and the notional must be in range, got fee -0.5")) {
            try matcher.apply(side: .sell, qty: 1, price: 100, fee: -0.5, timeMicros: 1)
        }
        let other = Fill(orderId: "O-1", clientOrderId: "c", account: "desk", symbol: "ETH-USD", side: .sell,
                         price: 100, qty: 1, fee: 0, timestampMicros: 1)
        #expect(throws: TradingError(.unknownSymbol, "fill for ETH-USD given to the BTC-USD matcher")) {
            try matcher.apply(other)
        }
        #expect(matcher == before)
    }

    @Test func venueFillsFeedTheMatcherAndTheAnalytics() throws {
        func fill(_ side: Side, _ qty: Quantity, _ price: Price, at time: Int64) -> Fill {
            Fill(orderId: "O-\(time)", clientOrderId: "c\(time)", account: "desk", symbol: "BTC-USD", side: side,
                 price: price, qty: qty, fee: 0, timestampMicros: time)
        }
        var matcher = FifoTradeMatcher(symbol: "BTC-USD")
        var closed: [ClosedTrade] = []
        for next in [fill(.buy, 2, 100, at: 0), fill(.sell, 1, 110, at: 1), fill(.sell, 1, 95, at: 2)] {
            closed += try matcher.apply(next)
        }
        // +10 then −5
        let report = PerformanceAnalytics.report(trades: closed, startingCapital: 1_000)
        #expect(report.tradeCount == 2 && report.netPnl == 5 && report.profitFactor == 2)
        #expect(report.equityCurve == [1_000, 1_010, 1_005])
    }
}
