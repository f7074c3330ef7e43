import Testing
@testable import Trading

/// A position's source makes the view the listing shows, and its fingerprint moves with every
/// figure of that view but the quote balance: with the position's own fills, its resting orders
/// and its symbol's mark, and not with a fill of another symbol quoted in the same asset.
@Suite struct PositionViewSourceTests {
    /// The account's sources by symbol name.
    static func sources(_ venue: SimulatedVenue, _ account: String = "desk") -> [String: PositionViewSource] {
        var sources: [String: PositionViewSource] = [:]
        venue.forEachPositionViewSource(account: account) { sources[$0.symbolName] = $0 }
        return sources
    }

    @Test func theViewMadeFromASourceIsTheListedView() throws {
        var venue = try VenueAssetBalanceTests.venue()
        #expect(venue.submit(order(.buy, 0.1, id: "b1"), at: 1).status == .filled)
        #expect(venue.submit(order(.sell, 1, .limit, limit: 3_200, symbol: "ETH-USD", id: "e1"), at: 2).status == .open)
        let limits = try InventoryLimits(defaultMax: 0.05)
        var listed: [PositionView] = []
        venue.forEachPositionViewSource(account: "desk") { listed.append(venue.view(of: $0, limits: limits)) }
        let views = venue.positionViews(account: "desk", limits: limits)
        #expect(listed.count == 2 && views.count == 2)
        for (made, view) in zip(listed, views) {
            #expect(made.position == view.position && made.pair == view.pair && made.mark == view.mark && made.inventory == view.inventory)
        }
        // What the sample holds: a position over its limit and a resting sell.
        #expect(views[0].inventory.isOverLimit && views[1].inventory.pendingSellQty == 1)
        #expect(Self.sources(venue, "nobody").isEmpty)
    }

    @Test func theFingerprintMovesWithEverythingTheViewShowsButTheQuoteBalance() throws {
        var venue = try VenueAssetBalanceTests.venue()
        let start = Self.sources(venue)

        // A BTC fill: BTC's fingerprint moves; ETH's stays, though its quote balance moved.
        #expect(venue.submit(order(.buy, 0.1, id: "b1"), at: 1).status == .filled)
        let filled = Self.sources(venue)
        #expect(filled["BTC-USD"]?.fingerprint != start["BTC-USD"]?.fingerprint)
        #expect(filled["ETH-USD"]?.fingerprint == start["ETH-USD"]?.fingerprint)
        #expect(filled["ETH-USD"]?.quoteBalance != start["ETH-USD"]?.quoteBalance)

        // A resting ETH buy: ETH's pending buy, and so its fingerprint, moves.
        let resting = venue.submit(order(.buy, 1, .limit, limit: 2_500, symbol: "ETH-USD", id: "e1"), at: 2)
        #expect(resting.status == .open)
        let rested = Self.sources(venue)
        #expect(rested["ETH-USD"]?.fingerprint != filled["ETH-USD"]?.fingerprint)
        #expect(rested["BTC-USD"]?.fingerprint == filled["BTC-USD"]?.fingerprint)

        // ETH's mark moves: ETH's fingerprint moves, BTC's does not.
        _ = venue.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 3_009, ask: 3_011, last: 3_010), at: 3)
        let marked = Self.sources(venue)
        #expect(marked["ETH-USD"]?.fingerprint != rested["ETH-USD"]?.fingerprint)
        #expect(marked["BTC-USD"]?.fingerprint == rested["BTC-USD"]?.fingerprint)

        // The cancel takes the pending buy back.
        #expect(venue.cancel(orderId: resting.orderId)?.status == .cancelled)
        let cancelled = Self.sources(venue)
        #expect(cancelled["ETH-USD"]?.fingerprint != marked["ETH-USD"]?.fingerprint)

        // Selling ETH the account holds moves its base balance and the recorded position.
        #expect(venue.submit(order(.sell, 0.5, symbol: "ETH-USD", id: "e2"), at: 4).status == .filled)
        let sold = Self.sources(venue)
        #expect(sold["ETH-USD"]?.fingerprint != cancelled["ETH-USD"]?.fingerprint)
        #expect(sold["BTC-USD"]?.fingerprint == cancelled["BTC-USD"]?.fingerprint)
    }
}
