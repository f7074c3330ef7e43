import Testing
@testable import Trading

@Suite struct VenuePartialFillTests {
    @Test func aRestingBuyFillsAtMostTheDisplayedSizePerUpdate() throws {
        var venue = try ruledVenue(Balance(quote: 1_000), rules: SymbolRules(displayedSize: 1), bid: 99, ask: 101)
        let placed = venue.submit(order(.buy, 2.5, .limit, limit: 100, id: "b"), at: 0)
        #expect(placed.status == .open)

        let first = venue.touch(98, 99.5, at: 1)
        // 1 of 2.5 at the limit 100 with the maker fee 100 · 5 bps = 0.05.
        #expect(first.map(\.qty) == [1] && first[0].price == 100 && first[0].fee == 0.05)
        let resting = try #require(venue.restingOrder(id: placed.orderId))
        #expect(resting.status == .partiallyFilled && resting.filledQty == 1 && resting.remainingQty == 1.5)
        // The untouched 1.5 stays reserved: 1.5 · 100 · 1.0005 = 150.075.
        let position = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        #expect(position.base == 1 && position.quote == 1_000 - 100.05)
        #expect(try #require(venue.available(account: "desk", symbol: "BTC-USD")).quote == 1_000 - 100.05 - 150.075)

        #expect(venue.touch(98, 99.5, at: 2).map(\.qty) == [1])
        #expect(venue.restingOrder(id: placed.orderId)?.filledQty == 2)
        #expect(venue.touch(98, 99.5, at: 3).map(\.qty) == [0.5])
        #expect(venue.restingOrder(id: placed.orderId) == nil && venue.openOrders.isEmpty)
        let done = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        #expect(done.base == 2.5 && done.quote == 749.875)
        // Nothing left reserved once the order is done.
        #expect(venue.available(account: "desk", symbol: "BTC-USD") == Balance(base: done.base, quote: done.quote))
        // An update that does not cross fills nothing.
        #expect(venue.touch(100.5, 101, at: 4).isEmpty)
    }

    @Test func theDisplayedSizeIsSharedBestPriceFirst() throws {
        var venue = try ruledVenue(Balance(quote: 10_000), rules: SymbolRules(displayedSize: 1.5), bid: 95, ask: 101)
        let low = venue.submit(order(.buy, 1, .limit, limit: 99, id: "low"), at: 0)
        let best = venue.submit(order(.buy, 1, .limit, limit: 100, id: "best"), at: 0)
        let fills = venue.touch(97, 98, at: 1)
        #expect(fills.map(\.clientOrderId) == ["best", "low"] && fills.map(\.qty) == [1, 0.5])
        #expect(venue.restingOrder(id: best.orderId) == nil)
        #expect(venue.restingOrder(id: low.orderId)?.remainingQty == 0.5)
    }

    @Test func floatResidueOfTheDisplayedSizeMakesNoDustFill() throws {
        // 0.4 − 0.1 − 0.3 leaves 5.6e-17 in binary; the third order must not get it.
        var venue = try ruledVenue(Balance(quote: 10_000), rules: SymbolRules(displayedSize: 0.4), bid: 95, ask: 101)
        for (qty, limit): (Quantity, Price) in [(0.1, 100), (0.3, 99.5), (1, 99)] {
            _ = venue.submit(order(.buy, qty, .limit, limit: limit, id: "\(limit)"), at: 0)
        }
        let fills = venue.touch(97, 98, at: 1)
        #expect(fills.map(\.qty) == [0.1, 0.3])
        #expect(venue.openOrders.map(\.status) == [.open])
    }

    @Test func aRestingSellFillsInPartsAndCancelReleasesTheRest() throws {
        var venue = try ruledVenue(Balance(base: 3, quote: 0), rules: SymbolRules(displayedSize: 2), bid: 99, ask: 101)
        let placed = venue.submit(order(.sell, 3, .limit, limit: 105, id: "s"), at: 0)
        let fills = venue.touch(105, 106, at: 1)
        #expect(fills.map(\.qty) == [2] && fills[0].side == .sell)
        #expect(venue.available(account: "desk", symbol: "BTC-USD")?.base == 0)
        #expect(venue.openOrders.map(\.status) == [.partiallyFilled])
        let cancel = venue.cancel(orderId: placed.orderId)
        let cancelled = try #require(cancel)
        #expect(cancelled.status == .cancelled && cancelled.filledQty == 2 && cancelled.averagePrice == 105)
        // The unfilled base is free again; the sold part stays sold.
        #expect(venue.available(account: "desk", symbol: "BTC-USD")?.base == 1)
        #expect(venue.touch(110, 111, at: 2).isEmpty)
    }

    @Test func pendingExposureShrinksAsPartsFill() throws {
        var venue = try ruledVenue(Balance(quote: 10_000), rules: SymbolRules(displayedSize: 1), bid: 99, ask: 101)
        _ = venue.submit(order(.buy, 3, .limit, limit: 100, id: "b"), at: 0)
        #expect(venue.inventory(account: "desk", symbol: "BTC-USD")?.pendingBuyQty == 3)
        _ = venue.touch(98, 99.5, at: 1)
        let state = try #require(venue.inventory(account: "desk", symbol: "BTC-USD"))
        #expect(state.position == 1 && state.pendingBuyQty == 2 && state.effectiveInventory == 3)
    }
}
