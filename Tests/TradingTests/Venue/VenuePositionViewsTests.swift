import Testing
@testable import Trading

/// `positionViews` lists, for any filter, what the listing built from `positions` and one query
/// per row listed: the same positions, pairs, marks and inventories, in account-then-symbol order.
/// It collects what `forEachPositionView` hands over, and `positionViewCount` counts as many.
@Suite struct VenuePositionViewsTests {
    @Test func theViewsAreThePositionsAndTheirQueriesForEveryFilter() throws {
        // Accounts configured out of name order, so the listing's order is its own.
        var venue = try makeVenue([AccountConfig(name: "zeta", balances: ["USD": 50_000]), AccountConfig(name: "alpha", balances: ["USD": 20_000, "ETH": 2])],
                                  symbols: ["ETH-USD", "BTC-USD"])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_000, last: 59_995), at: 0)
        #expect(venue.submit(order(.buy, 0.1, account: "zeta", id: "z1"), at: 1).status == .filled)
        #expect(venue.submit(order(.buy, 0.05, .limit, limit: 59_000, account: "alpha", id: "a1"), at: 2).status == .open)
        let limits = try InventoryLimits(defaultMax: 0.08)

        for symbol in [nil, "BTC-USD", "ETH-USD", "XRP-USD"] {
            for account in [nil, "alpha", "zeta", "nobody"] {
                let all = venue.positions
                let expected = all.keys.sorted()
                    .filter { (symbol == nil || $0.symbol == symbol) && (account == nil || $0.account == account) }
                    .map { key in
                        (all[key], venue.assetPair(of: key.symbol), venue.mark(for: key.symbol),
                         venue.inventory(account: key.account, symbol: key.symbol, limits: limits))
                    }
                let views = venue.positionViews(symbol: symbol, account: account, limits: limits)
                #expect(views.count == expected.count)
                #expect(venue.positionViewCount(symbol: symbol, account: account) == expected.count)
                for (view, (position, pair, mark, inventory)) in zip(views, expected) {
                    #expect(view.position == position && view.pair == pair && view.mark == mark && view.inventory == inventory)
                }
            }
        }
        // The sample holds what the comparison should see: a position, resting exposure, a limit
        // crossed, a symbol without a quote.
        let zeta = try #require(venue.positionViews(symbol: "BTC-USD", account: "zeta", limits: limits).first)
        #expect(zeta.position.base == 0.1 && zeta.inventory.isOverLimit)
        #expect(venue.positionViews(symbol: "BTC-USD", account: "alpha", limits: limits).first?.inventory.pendingBuyQty == 0.05)
        #expect(venue.positionViews(symbol: "ETH-USD", limits: limits).allSatisfy { $0.mark == nil })
        #expect(venue.positionViews(limits: limits).map(\.position.account) == ["alpha", "alpha", "zeta", "zeta"])
    }
}
