import Testing
@testable import Trading

@Suite struct VenueLotRulesTests {
    static func venue() throws -> SimulatedVenue {
        try ruledVenue(Balance(base: 1, quote: 100_000),
                       rules: SymbolRules(tickSize: 0.01, lotSize: 0.0001, minQty: 0.001, quoteStep: 0.01), bid: 59_999.99, ask: 60_000)
    }

    @Test func aQuantityOffTheLotGridIsRejectedNamingTheValueAndTheStep() throws {
        var venue = try Self.venue()
        let result = venue.submit(order(.buy, 0.23364996, id: "odd"), at: 1)
        #expect(result.status == .rejected && result.rejection?.code == .offLot)
        #expect(result.rejection?.message == "quantity 0.23364996 is not a whole number of BTC-USD lots of 0.0001; "
            + "nearest quantities are 0.2336 and 0.2337")
        #expect(venue.position(account: "desk", symbol: "BTC-USD")?.quote == 100_000)
    }

    @Test func theSmallestQuantityIsRefusedAsBelowTheMinimumNotFilled() throws {
        var venue = try Self.venue()
        let dust = venue.submit(order(.buy, Quantity(raw: 1), id: "dust"), at: 1)
        #expect(dust.rejection?.code == .offLot)
        let small = venue.submit(order(.buy, 0.0009, id: "small"), at: 1)
        #expect(small.rejection?.code == .belowMinSize)
        #expect(small.rejection?.message == "quantity 0.0009 is below the BTC-USD minimum of 0.001")
    }

    @Test func aWholeNumberOfLotsFillsExactlyWithTheFeeRoundedUpToCents() throws {
        var venue = try Self.venue()
        let result = venue.submit(order(.buy, 0.2336, id: "ok"), at: 1)
        // 0.2336 × 60,000 = 14,016; 10 bps = 14.016, rounded up to 14.02.
        #expect(result.status == .filled && result.fills.first?.fee == 14.02)
        let position = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        #expect(position.base == 1.2336 && position.quote == 100_000 - 14_016 - 14.02)
        #expect(position.base.description == "1.2336")
    }
}
