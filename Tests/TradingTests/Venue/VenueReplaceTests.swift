import Testing
@testable import Trading

@Suite struct VenueReplaceTests {
    @Test func replaceMovesTheOrderUnderANewVenueIdAndTheSameClientId() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), bid: 95, ask: 101)
        let original = venue.submit(order(.buy, 2, .limit, limit: 90, id: "q"), at: 0)
        let replacedResult = venue.replace(orderId: original.orderId, newQty: 1, newLimitPrice: 94, at: 5)
        let replaced = try #require(replacedResult)
        #expect(replaced.status == .open && replaced.orderId == "O-2" && replaced.clientOrderId == "q")
        #expect(venue.openOrders.map(\.orderId) == ["O-2"] && venue.openOrders[0].limitPrice == 94)
        #expect(venue.openOrders[0].submittedAtMicros == 5)
        // Only the replacement is reserved now: 94 · 1 · 1.0005.
        #expect(try #require(venue.available(account: "desk", symbol: "BTC-USD")).quote == 10_000 - 94.047)
        // The old id is gone, so a retried replace does nothing.
        #expect(venue.replace(orderId: original.orderId, newLimitPrice: 93, at: 6) == nil)
        // Resubmitting the original request replays its first result and places nothing.
        #expect(venue.submit(order(.buy, 2, .limit, limit: 90, id: "q"), at: 7) == original)
        #expect(venue.openOrders.count == 1)
    }

    @Test func nilArgumentsKeepTheUnfilledQuantityAndThePrice() throws {
        var venue = try ruledVenue(Balance(quote: 10_000), rules: SymbolRules(displayedSize: 1), bid: 95, ask: 101)
        let original = venue.submit(order(.buy, 3, .limit, limit: 100, id: "q"), at: 0)
        _ = venue.touch(98, 99, at: 1)
        _ = venue.touch(100.5, 101, at: 2)
        let replacedResult = venue.replace(orderId: original.orderId, at: 3)
        let replaced = try #require(replacedResult)
        #expect(replaced.requestedQty == 2 && venue.openOrders.map(\.limitPrice) == [100])
        #expect(venue.restingOrder(id: replaced.orderId)?.filledQty == 0)
        // Position keeps the part filled before the replace; 2 more remain pending.
        #expect(venue.inventory(account: "desk", symbol: "BTC-USD").map { ($0.position, $0.pendingBuyQty) } ?? (0, 0) == (1, 2))
    }

    @Test func aMarketableReplacementTradesAtOnceAsTaker() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), bid: 99, ask: 101)
        let original = venue.submit(order(.buy, 1, .limit, limit: 95, id: "q"), at: 0)
        let replacedResult = venue.replace(orderId: original.orderId, newLimitPrice: 102, at: 1)
        let replaced = try #require(replacedResult)
        #expect(replaced.status == .filled && replaced.averagePrice == 101 && replaced.fills[0].fee == 0.101)
        #expect(venue.openOrders.isEmpty)
    }

    @Test func aRejectedReplacementLeavesTheOriginalRestingInItsPlace() throws {
        var venue = try ruledVenue(Balance(quote: 1_000), rules: SymbolRules(tickSize: 0.5), bid: 95, ask: 101)
        let first = venue.submit(order(.buy, 1, .limit, limit: 100, id: "first"), at: 0)
        _ = venue.submit(order(.buy, 1, .limit, limit: 100, id: "second"), at: 0)
        let freeBefore = venue.available(account: "desk", symbol: "BTC-USD")

        let offGridResult = venue.replace(orderId: first.orderId, newLimitPrice: 99.3, at: 1)
        let offGrid = try #require(offGridResult)
        #expect(offGrid.status == .rejected && offGrid.rejection?.code == .offTick)
        let tooBigResult = venue.replace(orderId: first.orderId, newQty: 50, at: 1)
        let tooBig = try #require(tooBigResult)
        #expect(tooBig.rejection?.code == .insufficientQuote)

        #expect(venue.available(account: "desk", symbol: "BTC-USD") == freeBefore)
        // "first" kept its priority over "second" at the same price.
        let fills = venue.touch(97, 99, at: 2)
        #expect(fills.map(\.clientOrderId) == ["first", "second"] && fills[0].orderId == first.orderId)
    }

    @Test func replacingAnOrderThatIsNotRestingGivesNil() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), bid: 99, ask: 101)
        let filled = venue.submit(order(.buy, 1, id: "m"), at: 0)
        #expect(venue.replace(orderId: filled.orderId, newQty: 2, at: 1) == nil)
        #expect(venue.replace(orderId: "O-404", at: 1) == nil)
    }
}
