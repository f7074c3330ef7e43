import Testing
@testable import Trading

@Suite struct VenueIdempotencyTests {
    @Test func resubmittingAClientOrderIdReplaysTheFirstResult() throws {
        var venue = try quotedVenue(Balance(quote: 100_000), bid: 59_990, ask: 60_010)
        let first = venue.submit(order(.buy, 0.5, id: "sig-42"), at: 1)
        let afterFirst = venue.position(account: "desk", symbol: "BTC-USD")
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 61_000, ask: 61_010, last: 61_005), at: 2)
        // Same id and terms: nothing trades, the first result comes back at the new price too.
        let replay = venue.submit(order(.buy, 0.5, id: "sig-42"), at: 3)
        #expect(replay == first)
        #expect(venue.position(account: "desk", symbol: "BTC-USD") == afterFirst)
        #expect(venue.ordersSubmitted == 1)
    }

    @Test func rejectionsReplayToo() throws {
        var venue = try quotedVenue(Balance(quote: 100), bid: 99, ask: 101)
        let first = venue.submit(order(.buy, 5, id: "x"), at: 0)
        #expect(first.status == .rejected)
        #expect(venue.submit(order(.buy, 5, id: "x"), at: 0) == first)
    }

    @Test func idsAreScopedPerAccountAndEmptyIdsAreNotDeduplicated() throws {
        var venue = try makeVenue([
            AccountConfig(name: "desk", perSymbol: ["BTC-USD": Balance(quote: 1_000)]),
            AccountConfig(name: "mm", perSymbol: ["BTC-USD": Balance(quote: 1_000)]),
        ])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 99, ask: 100, last: 99.5), at: 0)
        let desk = venue.submit(order(.buy, 1, id: "same"), at: 0)
        let mm = venue.submit(order(.buy, 1, account: "mm", id: "same"), at: 0)
        #expect(desk.orderId == "O-1" && mm.orderId == "O-2" && mm.status == .filled)
        _ = venue.submit(order(.buy, 1, id: ""), at: 0)
        _ = venue.submit(order(.buy, 1, id: ""), at: 0)
        #expect(venue.position(account: "desk", symbol: "BTC-USD")?.base == 3)
    }
}
