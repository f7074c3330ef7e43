import Testing
@testable import Trading

/// Margin figures at the edge of the fixed-point range: a dust position against a large
/// collateral is an ordinary state, and only an order whose own numbers leave the range is
/// refused as out of range.
@Suite struct VenueMarginRangeTests {
    /// The pipeline benchmark's account: "desk", 8e9 USD, short-enabled (leverage 1,
    /// maintenance 50 bps); taker fee 10 bps, slippage 1 bp; BTC-USD quoted 99.99 / 100.01.
    static func venue() throws -> SimulatedVenue {
        let desk = AccountConfig(name: "desk", balances: ["USD": 8_000_000_000], allowShort: true)
        var venue = try makeVenue([desk], config: VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 1))
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 99.99, ask: 100.01, last: 100), at: 0)
        return venue
    }

    @Test func aSellLeavingADustLongFillsAndItsLiquidationPriceIsAbsent() throws {
        var venue = try Self.venue()
        #expect(venue.submit(order(.buy, 80, id: "buy"), at: 1).status == .filled)
        // Base 0.00000011 is left against ~8e9 USD: the long's liquidation price would be
        // about −8e9 / 0.00000011 ≈ −7.3e16, outside a price's range, and is no price anyway.
        let sell = venue.submit(order(.sell, 79.999_999_89, id: "sell"), at: 2)
        #expect(sell.status == .filled, "\(sell.rejection?.message ?? "")")
        #expect(venue.position(account: "desk", symbol: "BTC-USD")?.base == 0.000_000_11)
        let state = try #require(venue.margin(account: "desk"))
        #expect(state.liquidationPrices.isEmpty)
        // Marked at the mid 100: equity = USD balance + 0.00000011 × 100 = + 0.000011.
        let usd = try #require(venue.balance(account: "desk", asset: "USD"))
        #expect(state.equity == Money(same: usd) + 0.000_011)
        #expect(state.marginUsed == 0.000_011 && state.maintenanceMargin == 0.000_000_06)
    }

    @Test func aDustShortsLiquidationPriceBeyondThePriceRangeIsAbsent() throws {
        var venue = try Self.venue()
        #expect(venue.submit(order(.sell, 80, id: "short"), at: 1).status == .filled)
        // Short 0.00000011: liquidation near 8e9 / 0.00000011 ≈ 7.3e16, past ±92233720368.
        let cover = venue.submit(order(.buy, 79.999_999_89, id: "cover"), at: 2)
        #expect(cover.status == .filled, "\(cover.rejection?.message ?? "")")
        let state = try #require(venue.margin(account: "desk"))
        #expect(state.liquidationPrices.isEmpty)
        // A short large enough to bring the price into range still gets one.
        #expect(venue.submit(order(.sell, 50_000_000, id: "big"), at: 3).status == .filled)
        let price = try #require(venue.margin(account: "desk")?.liquidationPrices["BTC-USD"])
        #expect(price > 100 && price < 1_000)
    }

    @Test func anOrderWhoseNotionalLeavesTheRangeIsStillRefusedAsOutOfRange() throws {
        var venue = try Self.venue()
        // 1e9 × 100.020001 ≈ 1.0002e11 USD: beyond ±92233720368.54775807.
        let huge = venue.submit(order(.buy, 1_000_000_000, id: "huge"), at: 1)
        #expect(huge.status == .rejected && huge.rejection?.code == .amountOutOfRange)
        #expect(huge.rejection?.message == "buy 1000000000 BTC-USD at market would take an amount or position beyond ±92233720368.54775807")
        #expect(venue.balance(account: "desk", asset: "USD") == 8_000_000_000, "a refused order moves nothing")
    }

    @Test func anUnderwaterAccountHoldingADustPositionIsStillLiquidated() throws {
        // VenueMarginTests' "perp" (10,000 USD, 5x, 50 bps) with ETH-USD quoted too.
        let perp = AccountConfig(name: "perp", balances: ["USD": 10_000], allowShort: true,
                                 margin: MarginTerms(maxLeverage: 5, maintenanceBps: 50))
        var venue = try makeVenue([perp])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 0)
        _ = venue.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 0)
        // A dust long of 0.00000001 ETH: its liquidation price, about −10,000 / 0.00000001 =
        // −1e12, is out of range, and the account's margin figures stand without it.
        #expect(venue.submit(order(.buy, 0.000_000_01, symbol: "ETH-USD", account: "perp", id: "dust"), at: 1).status == .filled)
        #expect(venue.submit(order(.sell, 0.8, account: "perp", id: "short"), at: 2).status == .filled)
        #expect(venue.margin(account: "perp")?.liquidationPrices.keys.sorted() == ["BTC-USD"])
        // At mid 72,100 the BTC short takes equity below maintenance: it is closed, the dust stays.
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 72_090, ask: 72_110, last: 72_100), at: 3)
        let next = venue.liquidateNext(at: 4)
        let liquidation = try #require(next)
        #expect(liquidation.result.symbol == "BTC-USD" && liquidation.result.filledQty == 0.8)
        #expect(venue.position(account: "perp", symbol: "ETH-USD")?.base == 0.000_000_01)
    }
}
