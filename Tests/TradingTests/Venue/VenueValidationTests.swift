import Testing
@testable import Trading

@Suite struct VenueValidationTests {
    private func code(_ request: OrderRequest, quoted: Bool = true) throws -> TradingError.Code? {
        var venue = try makeVenue([AccountConfig(name: "desk", perSymbol: ["BTC-USD": Balance(base: 1, quote: 1e6)])])
        if quoted { _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 99, ask: 101, last: 100), at: 0) }
        let result = venue.submit(request, at: 0)
        #expect(result.status == .rejected || result.rejection == nil)
        return result.rejection?.code
    }

    @Test func checksRunInTheDocumentedOrder() throws {
        // Each request breaks every rule from its own onward, so only the order of the
        // checks decides which code comes back.
        #expect(try code(order(.buy, -1, .limit, symbol: "X", account: "nobody", id: "1"), quoted: false) == .unknownAccount)
        #expect(try code(order(.buy, -1, .limit, symbol: "X", id: "2"), quoted: false) == .unknownSymbol)
        #expect(try code(order(.buy, 0, .limit, id: "3"), quoted: false) == .invalidQuantity)
        #expect(try code(order(.buy, 1, .limit, limit: -1, id: "4"), quoted: false) == .invalidPrice)
        #expect(try code(order(.buy, 1, .limit, limit: 100, id: "5"), quoted: false) == .noQuote)
        #expect(try code(order(.buy, 1, .limit, limit: 100, id: "6")) == nil)
    }

    @Test func rejectionMessagesNameTheProblem() throws {
        var venue = try makeVenue([AccountConfig(name: "desk", balances: [:])])
        let unknown = venue.submit(order(.buy, 1, account: "ghost", id: "a"), at: 0)
        #expect(unknown.status == .rejected)
        #expect(unknown.rejection?.message == "unknown account \"ghost\"; the venue has desk")
        let noQuote = venue.submit(order(.buy, 1, id: "b"), at: 0)
        #expect(noQuote.rejection?.message == "no quote for BTC-USD yet, so the venue cannot price the order")
        let zero = venue.submit(order(.sell, 0, id: "c"), at: 0)
        #expect(zero.rejection?.code == .invalidQuantity)
        let noLimit = venue.submit(order(.sell, 1, .limit, id: "d"), at: 0)
        #expect(noLimit.rejection?.message == "limit order needs a positive limitPrice, got none")
    }

    @Test func rejectsBadConfiguration() {
        let btc = ["BTC-USD"]
        let cases: [(VenueConfig, [AccountConfig], [String])] = [
            (VenueConfig(takerFeeBps: .nan), [], btc),
            (VenueConfig(makerFeeBps: -1), [], btc),
            (VenueConfig(slippageBps: 10_000), [], btc),
            (VenueConfig(), [], ["BTC-USD", "BTC-USD"]),
            (VenueConfig(), [], [""]),
            (VenueConfig(), [AccountConfig(name: "a", balances: [:]), AccountConfig(name: "a", balances: [:])], btc),
            (VenueConfig(), [AccountConfig(name: "a", perSymbol: ["ETH-USD": Balance(quote: 1)])], btc),
            (VenueConfig(), [AccountConfig(name: "a", perSymbol: ["BTC-USD": Balance(base: -1)])], btc),
            (VenueConfig(), [AccountConfig(name: "a", perSymbol: ["BTC-USD": Balance(quote: -0.01)])], btc),
            (VenueConfig(takerFeeBps: 0.00001), [], btc),
        ]
        for (config, accounts, symbols) in cases {
            let error = #expect(throws: TradingError.self) {
                try SimulatedVenue(config: config, accounts: accounts, symbols: symbols)
            }
            #expect(error?.code == .invalidConfig)
        }
    }

    @Test func shortAccountsMayStartShort() throws {
        let venue = try makeVenue([AccountConfig(name: "a", perSymbol: ["BTC-USD": Balance(base: -1, quote: 100)], allowShort: true)])
        #expect(venue.position(account: "a", symbol: "BTC-USD")?.base == -1)
        // Every (account, symbol) pair exists, configured or not.
        #expect(venue.positions.keys.sorted() == [
            PositionKey(account: "a", symbol: "BTC-USD"), PositionKey(account: "a", symbol: "ETH-USD"),
        ])
    }
}
