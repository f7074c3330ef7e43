import Testing
@testable import Trading

/// The venue's funds checks: a buy needs quote ≥ price × qty + fee, a sell base ≥ qty,
/// each counting only what resting orders have not reserved.
@Suite struct VenueFundsTests {
    @Test func insufficientFundsForABuy() throws {
        var venue = try quotedVenue(Balance(quote: 5_000), bid: 59_990, ask: 60_000)
        let result = venue.submit(order(.buy, 0.1, id: "c1"), at: 0)
        // cost 0.1 · 60000 = 6000, fee 6000 · 10 bps = 6, needs 6006 > 5000
        #expect(result.status == .rejected && result.fills.isEmpty && result.averagePrice == nil)
        #expect(result.rejection?.code == .insufficientQuote)
        #expect(result.rejection?.message == "needs 6006 USD (cost 6000 + fee 6), account desk holds 5000 USD")
        #expect(venue.position(account: "desk", symbol: "BTC-USD") == Position(account: "desk", symbol: "BTC-USD", quote: 5_000))
    }

    @Test func theFeeAloneCanMakeABuyUnaffordable() throws {
        var venue = try quotedVenue(Balance(quote: 6_000), bid: 59_990, ask: 60_000)
        // The cost alone would fit (6000 ≤ 6000); the 6.00 fee tips it over.
        #expect(venue.submit(order(.buy, 0.1, id: "c1"), at: 0).rejection?.code == .insufficientQuote)
        #expect(venue.submit(order(.buy, 0.0999, id: "c2"), at: 0).status == .filled)
    }

    @Test func insufficientBaseForASell() throws {
        var venue = try quotedVenue(Balance(base: 0.2, quote: 0), bid: 60_000, ask: 60_010)
        let result = venue.submit(order(.sell, 0.5, id: "c1"), at: 0)
        #expect(result.status == .rejected && result.rejection?.code == .insufficientBase)
        #expect(result.rejection?.message == "sell needs 0.5 BTC, account desk holds 0.2 BTC")
        #expect(venue.position(account: "desk", symbol: "BTC-USD")?.base == 0.2)
    }

    @Test func shortAccountsMaySellWhatTheyDoNotHoldAgainstCollateral() throws {
        // Without collateral a short is refused: it is margined at leverage 1.
        var bare = try quotedVenue(Balance(base: 0, quote: 0), bid: 100, ask: 101, allowShort: true)
        #expect(bare.submit(order(.sell, 2, id: "c0"), at: 0).rejection?.code == .insufficientMargin)
        var venue = try quotedVenue(Balance(base: 0, quote: 300), bid: 100, ask: 101, allowShort: true)
        let result = venue.submit(order(.sell, 2, id: "c1"), at: 0)
        // proceeds 200 − fee 0.2: quote 499.8, equity 499.8 − 2 × 100.5 = 298.8 ≥ margin 201
        #expect(result.status == .filled)
        let position = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        #expect(position.base == -2 && position.quote == 499.8 && position.averageEntryPrice == 100)
    }

    @Test func restingBuyReservesQuote() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), symbol: "ETH-USD", bid: 99, ask: 101)
        let resting = venue.submit(order(.buy, 50, .limit, limit: 100, symbol: "ETH-USD", id: "rest"), at: 0)
        // reserves 50 · 100 + 5000 · 5 bps = 5002.50, leaving 4997.50
        #expect(resting.status == .open)
        #expect(venue.available(account: "desk", symbol: "ETH-USD") == Balance(base: 0, quote: 4_997.5))
        // A market buy of 50 at 101 needs 5050 + 5.05 = 5055.05: fine against 10000,
        // too much against what the resting order leaves.
        let market = venue.submit(order(.buy, 50, symbol: "ETH-USD", id: "mkt"), at: 0)
        #expect(market.rejection?.message == "needs 5055.05 USD (cost 5050 + fee 5.05), account desk holds 4997.5 USD "
            + "available (10000 minus 5002.5 reserved by resting buys)")
        // Cancelling frees the reservation and the same order goes through.
        #expect(venue.cancel(orderId: resting.orderId)?.status == .cancelled)
        #expect(venue.available(account: "desk", symbol: "ETH-USD") == Balance(base: 0, quote: 10_000))
        #expect(venue.submit(order(.buy, 50, symbol: "ETH-USD", id: "mkt2"), at: 0).status == .filled)
    }

    @Test func restingSellReservesBase() throws {
        var venue = try quotedVenue(Balance(base: 1, quote: 0), bid: 99, ask: 101)
        #expect(venue.submit(order(.sell, 1, .limit, limit: 110, id: "rest"), at: 0).status == .open)
        let market = venue.submit(order(.sell, 0.5, id: "mkt"), at: 0)
        #expect(market.rejection?.message == "sell needs 0.5 BTC, account desk holds 0 BTC available "
            + "(1 minus 1 reserved by resting sells)")
        // A second resting sell cannot promise the same base either.
        #expect(venue.submit(order(.sell, 0.5, .limit, limit: 120, id: "rest2"), at: 0).rejection?.code == .insufficientBase)
    }

    @Test func restingBuysCannotOverspendTogether() throws {
        var venue = try quotedVenue(Balance(quote: 1_000), bid: 99, ask: 101)
        // Each needs 500 + 0.25 maker fee; the second leaves 1000 − 500.25 = 499.75 < 500.25.
        #expect(venue.submit(order(.buy, 5, .limit, limit: 100, id: "r1"), at: 0).status == .open)
        #expect(venue.submit(order(.buy, 5, .limit, limit: 100, id: "r2"), at: 0).rejection?.code == .insufficientQuote)
        #expect(venue.openOrders.count == 1)
    }
}
