import Testing
@testable import Trading

@Suite struct VenueLimitOrderTests {
    @Test func restingBuyFillsAtItsLimitWithMakerFeeWhenTheAskCrosses() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), bid: 99, ask: 101)
        let placed = venue.submit(order(.buy, 10, .limit, limit: 100, id: "b1"), at: 0)
        #expect(placed.status == .open && placed.fills.isEmpty && placed.filledQty == 0)
        #expect(venue.openOrders.map(\.orderId) == ["O-1"])
        // ask 100.8 is still above the limit: nothing happens.
        #expect(venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 100.5, ask: 100.8, last: 100.6), at: 5).isEmpty)
        // ask 99 crosses; the fill is at the limit 100, not at 99.
        let fills = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 98, ask: 99, last: 98.5), at: 7)
        let fill = try #require(fills.first)
        #expect(fills.count == 1)
        // maker fee 10 · 100 · 5 / 10000 = 0.5; quote 10000 − 1000.5 = 8999.5
        #expect(fill.orderId == "O-1" && fill.clientOrderId == "b1" && fill.price == 100 && fill.qty == 10)
        #expect(fill.fee == 0.5 && fill.timestampMicros == 7)
        let position = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        #expect(position.base == 10 && position.quote == 8_999.5)
        #expect(venue.openOrders.isEmpty)
        #expect(venue.available(account: "desk", symbol: "BTC-USD") == Balance(base: 10, quote: 8_999.5))
    }

    @Test func restingSellFillsWhenTheBidReachesIt() throws {
        var venue = try quotedVenue(Balance(base: 2, quote: 0), bid: 99, ask: 101)
        #expect(venue.submit(order(.sell, 2, .limit, limit: 105, id: "s1"), at: 0).status == .open)
        let fills = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 105, ask: 105.4, last: 105.2), at: 3)
        // proceeds 2 · 105 = 210, maker fee 210 · 5 bps = 0.105 → quote 209.895
        #expect(fills.map(\.price) == [105] && fills[0].fee == 0.105)
        let position = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        #expect(position.base == 0 && position.quote == 209.895)
    }

    @Test func marketableLimitsTradeAtOnceAtTheTouchAsTaker() throws {
        var venue = try quotedVenue(Balance(base: 10, quote: 10_000), bid: 99, ask: 101)
        let buy = venue.submit(order(.buy, 10, .limit, limit: 102, id: "b"), at: 0)
        // min(102, 101) = 101; taker fee 1010 · 10 bps = 1.01
        #expect(buy.status == .filled && buy.averagePrice == 101 && buy.fills[0].fee == 1.01)
        let sell = venue.submit(order(.sell, 5, .limit, limit: 98, id: "s"), at: 0)
        // max(98, 99) = 99
        #expect(sell.status == .filled && sell.averagePrice == 99)
        #expect(venue.openOrders.isEmpty)
    }

    @Test func bestPriceFillsFirstThenOldestAtAPrice() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), bid: 95, ask: 101)
        _ = venue.submit(order(.buy, 1, .limit, limit: 100, id: "early"), at: 0)
        _ = venue.submit(order(.buy, 1, .limit, limit: 100.5, id: "best"), at: 0)
        _ = venue.submit(order(.buy, 1, .limit, limit: 100, id: "late"), at: 0)
        _ = venue.submit(order(.buy, 1, .limit, limit: 97, id: "far"), at: 0)
        let fills = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 98, ask: 100, last: 99), at: 1)
        #expect(fills.map(\.clientOrderId) == ["best", "early", "late"])
        #expect(venue.openOrders.map(\.clientOrderId) == ["far"])
    }

    @Test func cancellingFromTheMiddleOfAPriceLevelKeepsTheRestInOrder() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), bid: 95, ask: 101)
        let ids = ["a", "b", "c"].map { venue.submit(order(.buy, 1, .limit, limit: 100, id: $0), at: 0).orderId }
        _ = venue.submit(order(.buy, 1, .limit, limit: 99, id: "low"), at: 0)
        #expect(venue.cancel(orderId: ids[1])?.clientOrderId == "b")
        // still reserved: a and c at 100 + 0.05 maker fee each, low at 99 + 0.0495
        #expect(try #require(venue.available(account: "desk", symbol: "BTC-USD")).quote == Money(10_000) - 200.1 - 99.0495)
        let fills = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 97, ask: 98, last: 97.5), at: 1)
        #expect(fills.map(\.clientOrderId) == ["a", "c", "low"])
    }

    @Test func cancelReturnsNilForOrdersNotResting() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), bid: 99, ask: 101)
        let filled = venue.submit(order(.buy, 1, id: "m"), at: 0)
        #expect(venue.cancel(orderId: filled.orderId) == nil)
        #expect(venue.cancel(orderId: "O-999") == nil)
        let resting = venue.submit(order(.buy, 1, .limit, limit: 90, id: "r"), at: 0)
        let cancel = venue.cancel(orderId: resting.orderId)
        let cancelled = try #require(cancel)
        #expect(cancelled.status == .cancelled && cancelled.requestedQty == 1 && cancelled.filledQty == 0)
        #expect(venue.cancel(orderId: resting.orderId) == nil)
        // A cancelled order no longer fills.
        #expect(venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 80, ask: 85, last: 82), at: 1).isEmpty)
    }
}
