import Testing
@testable import Trading

@Suite struct VenueSymbolRulesTests {
    static let rules = SymbolRules(tickSize: 0.01, minQty: 0.001)

    @Test func withoutRulesAnySizeAndPriceIsAcceptedAsBefore() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), bid: 99, ask: 101)
        #expect(venue.rules(for: "BTC-USD") == SymbolRules())
        #expect(venue.submit(order(.buy, 0.000_01, id: "tiny"), at: 0).status == .filled)
        #expect(venue.submit(order(.buy, 1, .limit, limit: 95.123_456, id: "odd"), at: 0).status == .open)
    }

    @Test func ordersBelowTheMinimumAreRejectedMarketAndLimitAlike() throws {
        var venue = try ruledVenue(Balance(quote: 10_000), rules: Self.rules, bid: 99, ask: 101)
        for request in [order(.buy, 0.000_5, id: "m"), order(.buy, 0.000_5, .limit, limit: 95, id: "l")] {
            let result = venue.submit(request, at: 0)
            #expect(result.status == .rejected && result.rejection?.code == .belowMinSize)
            #expect(result.rejection?.message == "quantity 0.0005 is below the BTC-USD minimum of 0.001")
        }
        // Exactly the minimum trades; the other symbol has no rules.
        #expect(venue.submit(order(.buy, 0.001, id: "min"), at: 0).status == .filled)
        #expect(venue.position(account: "desk", symbol: "BTC-USD")?.base == 0.001)
    }

    @Test func limitPricesOffTheGridAreRejectedWithTheNearestTicks() throws {
        var venue = try ruledVenue(Balance(quote: 10_000), rules: Self.rules, bid: 99, ask: 101)
        let off = venue.submit(order(.buy, 1, .limit, limit: 95.005, id: "off"), at: 0)
        #expect(off.status == .rejected && off.rejection?.code == .offTick)
        #expect(off.rejection?.message == "limit price 95.005 is not on the BTC-USD tick grid of 0.01; nearest prices are 95 and 95.01")
        #expect(venue.available(account: "desk", symbol: "BTC-USD")?.quote == 10_000)
        // 100.07 / 0.01 is 10006.999999999998 in binary; it is still on the grid.
        #expect(venue.submit(order(.buy, 1, .limit, limit: 100.07, id: "on"), at: 0).status == .open)
        var btc = try ruledVenue(Balance(quote: 10_000), rules: Self.rules, bid: 59_999, ask: 60_001)
        #expect(btc.submit(order(.buy, 0.1, .limit, limit: 60_000.01, id: "big"), at: 0).status == .open)
        #expect(btc.submit(order(.buy, 0.1, .limit, limit: 60_000.011, id: "bad"), at: 0).rejection?.code == .offTick)
    }

    @Test func marketOrdersStillFillInFullAtTouchPlusSlippageAsTaker() throws {
        let config = VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 10)
        var venue = try ruledVenue(Balance(quote: 10_000), rules: SymbolRules(tickSize: 1, minQty: 0.1, displayedSize: 1),
                                   bid: 99, ask: 101, config: config)
        let result = venue.submit(order(.buy, 5, id: "m"), at: 0)
        // 5 > displayedSize 1, yet the market order fills whole at 101 · 1.001 = 101.101 (off the grid).
        #expect(result.status == .filled && result.filledQty == 5 && result.averagePrice == 101.101)
        #expect(result.fills[0].fee == 0.505505)
    }

    @Test(arguments: [
        SymbolRules(tickSize: 0), SymbolRules(tickSize: -0.01), SymbolRules(minQty: -1), SymbolRules(lotSize: 0),
        SymbolRules(lotSize: 0.01, minQty: 0.015), SymbolRules(quoteStep: 0), SymbolRules(displayedSize: 0), SymbolRules(displayedSize: -2),
    ])
    func invalidRulesAreRejected(rules: SymbolRules) {
        #expect(throws: TradingError.self) {
            try SimulatedVenue(config: VenueConfig(), accounts: [], symbols: ["BTC-USD"], rules: ["BTC-USD": rules])
        }
    }

    @Test func rulesForAnUnlistedSymbolAreRejected() {
        #expect {
            try SimulatedVenue(config: VenueConfig(), accounts: [], symbols: ["BTC-USD"], rules: ["DOGE-USD": SymbolRules()])
        } throws: { ($0 as? TradingError)?.code == .invalidConfig }
    }
}
