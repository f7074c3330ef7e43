import Testing
@testable import Trading

@Suite struct VenueMarketOrderTests {
    @Test func marketBuyFillsAtAskWithTakerFee() throws {
        var venue = try quotedVenue(Balance(quote: 100_000), bid: 59_990, ask: 60_010)
        let result = venue.submit(order(.buy, 0.5, id: "c1"), at: 1_000)
        // cost 0.5 · 60010 = 30005; fee 30005 · 10 / 10000 = 30.005; quote 100000 − 30035.005
        #expect(result.status == .filled && result.orderId == "O-1")
        #expect(result.filledQty == 0.5 && result.averagePrice == 60_010 && result.rejection == nil)
        let fill = try #require(result.fills.first)
        #expect(fill.price == 60_010 && fill.fee == 30.005 && fill.timestampMicros == 1_000)
        let position = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        #expect(position.base == 0.5 && position.quote == 69_964.995 && position.averageEntryPrice == 60_010)
        #expect(position.feesPaid == 30.005)
    }

    @Test func slippageMovesMarketPricesAgainstTheTaker() throws {
        let config = VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 5)
        var venue = try quotedVenue(Balance(base: 1, quote: 100_000), bid: 59_990, ask: 60_010, config: config)
        let buy = venue.submit(order(.buy, 0.1, id: "b"), at: 0)
        // 60010 · (1 + 0.0005) = 60040.005
        #expect(try #require(buy.averagePrice) == 60_040.005)
        let sell = venue.submit(order(.sell, 0.4, id: "s"), at: 0)
        // 59990 · (1 − 0.0005) = 59960.005; proceeds 23984.002 − fee 23.984002 = 23960.017998
        let sellPrice = try #require(sell.averagePrice)
        #expect(sellPrice == 59_960.005)
        #expect(try #require(sell.fills.first).fee == 23.984002)
        let position = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        // buy: 0.1 · 60040.005 = 6004.0005, fee 6.0040005
        // quote 100000 − 6004.0005 − 6.0040005 + 23960.017998 = 117950.0134975
        #expect(position.quote == 117_950.0134975)
        #expect(position.base == 0.7)
    }

    @Test func startingBaseIsValuedAtTheFirstMid() throws {
        let venue = try quotedVenue(Balance(base: 2, quote: 0), bid: 99, ask: 101)
        // No trade price for starting inventory: PnL counts from the first mid, 100.
        #expect(venue.position(account: "desk", symbol: "BTC-USD")?.averageEntryPrice == 100)
    }

    @Test func badQuotesAreIgnored() throws {
        var venue = try quotedVenue(Balance(quote: 1000), bid: 99, ask: 101)
        #expect(venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: .nan, ask: 101, last: 100), at: 1).isEmpty)
        #expect(venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 0, ask: 101, last: 100), at: 1).isEmpty)
        #expect(venue.updateQuote(symbol: "DOGE-USD", quote: MarketQuote(bid: 1, ask: 2, last: 1), at: 1).isEmpty)
        #expect(venue.quote(for: "BTC-USD") == MarketQuote(bid: 99, ask: 101, last: 100))
        #expect(venue.quote(for: "DOGE-USD") == nil)
    }

    @Test func orderIdsFollowSubmissionOrderIncludingRejections() throws {
        var venue = try quotedVenue(Balance(quote: 1000), bid: 99, ask: 101)
        let ids = [
            venue.submit(order(.buy, 1, id: "a"), at: 0),
            venue.submit(order(.buy, 1_000, id: "b"), at: 0),  // rejected: cannot afford
            venue.submit(order(.buy, 1, account: "nobody", id: "c"), at: 0),
            venue.submit(order(.buy, 1, id: "d"), at: 0),
        ].map(\.orderId)
        #expect(ids == ["O-1", "O-2", "O-3", "O-4"])
        #expect(venue.ordersSubmitted == 4)
    }
}
