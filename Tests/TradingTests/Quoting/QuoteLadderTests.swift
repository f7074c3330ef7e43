import Testing
@testable import Trading

@Suite struct QuoteLadderTests {
    /// The worked example of docs/MODEL.md: spread 0.01, quantity 0.1, 2 orders a side,
    /// target position 0, max position 5, threshold 2, skew 0, stop loss −1, take profit 5.
    /// Quotes are rounded to whole USDC (98.01 → 98, 99.99 → 100), so the grid is 1.
    static func exampleLadder(skew: Double = 0) throws -> QuoteLadder {
        try QuoteLadder(spread: 0.01, maxOrders: 2, quantity: 0.1, targetPosition: 0, maxPosition: 5,
                        positionThreshold: 2, inventorySkew: skew, stopLoss: -1, takeProfit: 5, tickSize: 1)
    }

    @Test func levelsAroundAMidOf100() throws {
        let plan = try Self.exampleLadder().plan(mid: 100, position: 0, unrealizedPnl: 0)
        #expect(plan.bids == [QuoteLevel(price: 99, qty: 0.1), QuoteLevel(price: 98, qty: 0.1)])
        #expect(plan.asks == [QuoteLevel(price: 101, qty: 0.1), QuoteLevel(price: 102, qty: 0.1)])
        #expect(plan.flatten == nil)
    }

    @Test func aRoundTripEarnsOneTenth() throws {
        // T0 mid 100 quotes 99 / 101; T1 the price falls to 99 and the bid fills
        // (+0.1 @ 99); T2 the ladder re-quotes around 99 as 98 / 100; T3 the price is back
        // at 100 and the ask fills (−0.1 @ 100). Profit (100 − 99) × 0.1 = 0.1. Selling at
        // the first ask (101) would make 0.2, but the ladder re-quotes around the new mid
        // before the sell. Fees are zero to isolate the spread capture.
        let ladder = try Self.exampleLadder()
        var venue = try SimulatedVenue(
            config: VenueConfig(takerFeeBps: 0, makerFeeBps: 0),
            accounts: [AccountConfig(name: "mm", perSymbol: ["SOL-USDC": Balance(quote: 1_000)], allowShort: true)],
            symbols: ["SOL-USDC"], rules: ["SOL-USDC": SymbolRules(tickSize: 0.01)])
        _ = venue.updateQuote(symbol: "SOL-USDC", quote: MarketQuote(bid: 99.99, ask: 100.01, last: 100), at: 0)
        var refresh = 0
        func requote(_ venue: inout SimulatedVenue, at time: Int64) throws {
            for resting in venue.openOrders { _ = venue.cancel(orderId: resting.orderId) }
            let state = try #require(venue.inventory(account: "mm", symbol: "SOL-USDC"))
            let mid = try #require(state.mark)
            refresh += 1
            let plan = try ladder.plan(mid: mid.double, position: state.position, unrealizedPnl: state.unrealizedPnl.double)
            for request in plan.orders(account: "mm", symbol: "SOL-USDC", clientIdPrefix: "r\(refresh)") {
                #expect(venue.submit(request, at: time).status == .open)
            }
        }
        try requote(&venue, at: 0)
        #expect(venue.openOrders.map(\.limitPrice) == [99, 98, 101, 102])

        let buy = venue.updateQuote(symbol: "SOL-USDC", quote: MarketQuote(bid: 98.99, ask: 99.01, last: 99), at: 1)
        #expect(buy.isEmpty)
        let hit = venue.updateQuote(symbol: "SOL-USDC", quote: MarketQuote(bid: 98.98, ask: 99, last: 99), at: 2)
        #expect(hit.map { "\($0.side) \($0.qty) @ \($0.price)" } == ["buy 0.1 @ 99"])

        _ = venue.updateQuote(symbol: "SOL-USDC", quote: MarketQuote(bid: 98.99, ask: 99.01, last: 99), at: 3)
        try requote(&venue, at: 3)
        // mid 99: 99 · 0.99 = 98.01 → 98 and 99 · 1.01 = 99.99 → 100.
        #expect(venue.openOrders.map(\.limitPrice) == [98, 97, 100, 101])

        let lift = venue.updateQuote(symbol: "SOL-USDC", quote: MarketQuote(bid: 100, ask: 100.02, last: 100), at: 4)
        #expect(lift.map { "\($0.side) \($0.qty) @ \($0.price)" } == ["sell 0.1 @ 100"])
        let flat = try #require(venue.position(account: "mm", symbol: "SOL-USDC"))
        #expect(flat.base == 0 && flat.realizedPnl == 0.1 && flat.quote == 1_000.1)
    }

    @Test func noLevelThatWouldPushThePositionPastTheMaximum() throws {
        let ladder = try Self.exampleLadder()
        // 4.85 + 0.1 = 4.95 fits, 4.85 + 0.2 = 5.05 does not.
        let nearMax = try ladder.plan(mid: 100, position: 4.85, unrealizedPnl: 0)
        #expect(nearMax.bids.map(\.price) == [99] && nearMax.asks.count == 2)
        let atMax = try ladder.plan(mid: 100, position: 5, unrealizedPnl: 0)
        #expect(atMax.bids.isEmpty && atMax.asks.count == 2)
        let shortMax = try ladder.plan(mid: 100, position: -5, unrealizedPnl: 0)
        #expect(shortMax.asks.isEmpty && shortMax.bids.count == 2)
    }

    @Test func skewMovesQuotesAgainstThePositionPastTheThreshold() throws {
        // Skew 0.5, position +2.5 (past the threshold 2), target 0: the bid drops
        // 99 → 98.5. Raising the ask to 101.5 would make selling harder, against the aim of
        // the skew; the ask moves down by the same half step instead, to 100.5.
        let ladder = try QuoteLadder(spread: 0.01, maxOrders: 1, quantity: 0.1, maxPosition: 5,
                                     positionThreshold: 2, inventorySkew: 0.5)
        let long = try ladder.plan(mid: 100, position: 2.5, unrealizedPnl: 0)
        #expect(long.bids[0].price == 98.5 && long.asks[0].price == 100.5)
        let short = try ladder.plan(mid: 100, position: -2.5, unrealizedPnl: 0)
        #expect(short.bids[0].price == 99.5 && short.asks[0].price == 101.5)
        // Within the threshold, and with skew 0, quotes stay symmetric.
        let inside = try ladder.plan(mid: 100, position: 1.5, unrealizedPnl: 0)
        #expect(inside.bids[0].price == 99 && inside.asks[0].price == 101)
        let unskewed = try Self.exampleLadder().plan(mid: 100, position: 2.5, unrealizedPnl: 0)
        #expect(unskewed.bids.first?.price == 99 && unskewed.asks.first?.price == 101)
    }

    @Test func targetPositionIsReadAsAMagnitude() throws {
        let ladder = try QuoteLadder(spread: 0.01, maxOrders: 1, quantity: 0.1, targetPosition: -3,
                                     maxPosition: 10, positionThreshold: 0.5, inventorySkew: 1)
        #expect(ladder.targetPosition == 3)
        // Position 3 is on target: no skew. Position 0 is 3 short of it: quotes move up a step.
        #expect(try ladder.plan(mid: 100, position: 3, unrealizedPnl: 0).bids[0].price == 99)
        #expect(try ladder.plan(mid: 100, position: 0, unrealizedPnl: 0).bids[0].price == 100)
    }

    @Test func stopLossAndTakeProfitFlattenAtMarket() throws {
        let ladder = try Self.exampleLadder()
        let stopped = try ladder.plan(mid: 100, position: 0.3, unrealizedPnl: -1.2)
        #expect(stopped.bids.isEmpty && stopped.asks.isEmpty)
        #expect(stopped.flatten?.side == .sell && stopped.flatten?.qty == 0.3)
        #expect(stopped.flatten?.reason == "stop loss: unrealized PnL -1.20 is at or below −1.00")
        let banked = try ladder.plan(mid: 100, position: -2, unrealizedPnl: 5)
        #expect(banked.flatten.map { ($0.side, $0.qty) }.map { $0 == .buy && $1 == 2 } == true)
        #expect(try ladder.plan(mid: 100, position: 0.3, unrealizedPnl: -0.99).flatten == nil)
        // Flat already: nothing to close whatever the PnL says.
        #expect(try ladder.plan(mid: 100, position: 0, unrealizedPnl: -10).flatten == nil)
        let orders = stopped.orders(account: "mm", symbol: "SOL-USDC", clientIdPrefix: "t9")
        #expect(orders == [OrderRequest(clientOrderId: "t9-flat", account: "mm", symbol: "SOL-USDC", side: .sell, type: .market, qty: 0.3)])
    }

    @Test func sizeMultipliersScaleEachSide() throws {
        let plan = try Self.exampleLadder().plan(mid: 100, position: 0, unrealizedPnl: 0,
                                              sizeMultipliers: SizeMultipliers(bid: 0, ask: 1.5))
        #expect(plan.bids.isEmpty && plan.asks.map(\.qty).allSatisfy { $0 == 0.15 })
        let orders = plan.orders(account: "mm", symbol: "X", clientIdPrefix: "p")
        #expect(orders.map(\.clientOrderId) == ["p-a1", "p-a2"] && orders.allSatisfy { $0.type == .limit && $0.side == .sell })
    }

    @Test func badConfigurationAndInputsAreRejected() throws {
        let bad: [() throws -> QuoteLadder] = [
            { try QuoteLadder(spread: 0, maxOrders: 1, quantity: 1, maxPosition: 1) },
            { try QuoteLadder(spread: 1, maxOrders: 1, quantity: 1, maxPosition: 1) },
            { try QuoteLadder(spread: 0.01, maxOrders: 0, quantity: 1, maxPosition: 1) },
            { try QuoteLadder(spread: 0.01, maxOrders: 1, quantity: 0, maxPosition: 1) },
            { try QuoteLadder(spread: 0.01, maxOrders: 1, quantity: 1, maxPosition: 0) },
            { try QuoteLadder(spread: 0.01, maxOrders: 1, quantity: 1, maxPosition: 1, inventorySkew: 1.5) },
            { try QuoteLadder(spread: 0.01, maxOrders: 1, quantity: 1, maxPosition: 1, stopLoss: 0) },
            { try QuoteLadder(spread: 0.01, maxOrders: 1, quantity: 1, maxPosition: 1, takeProfit: -1) },
            { try QuoteLadder(spread: 0.01, maxOrders: 1, quantity: 1, maxPosition: 1, tickSize: 0) },
        ]
        for make in bad { #expect(throws: TradingError.self) { try make() } }
        let ladder = try Self.exampleLadder()
        #expect(throws: TradingError.self) { try ladder.plan(mid: .nan, position: 0, unrealizedPnl: 0) }
        #expect(throws: TradingError.self) { try ladder.plan(mid: 100, position: 0, unrealizedPnl: .nan) }
        #expect(throws: TradingError.self) {
            try ladder.plan(mid: 100, position: 0, unrealizedPnl: 0, sizeMultipliers: SizeMultipliers(bid: -1))
        }
    }
}
