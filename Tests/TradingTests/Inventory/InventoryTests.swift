import Testing
@testable import Trading

@Suite struct InventoryTests {
    static let limits = try! InventoryLimits(defaultMax: 50)

    @Test func restingOrdersCountTowardEffectiveInventory() throws {
        // Ten resting buys of ten each are 100 of pending exposure.
        var venue = try quotedVenue(Balance(quote: 100_000), bid: 99, ask: 101)
        for index in 0..<10 { _ = venue.submit(order(.buy, 10, .limit, limit: 90, id: "b\(index)"), at: 0) }
        let state = try #require(venue.inventory(account: "desk", symbol: "BTC-USD", limits: Self.limits))
        #expect(state.position == 0 && state.pendingBuyQty == 100 && state.pendingSellQty == 0)
        #expect(state.effectiveInventory == 100 && state.isOverLimit && state.overLimitFactor == 2)
        // Long beyond the limit → sell effective − max.
        let hedge = try #require(state.hedgeSuggestion)
        #expect(hedge.side == .sell && hedge.qty == 50)
        #expect(hedge.reason == "effective inventory 100 (position 0 + pending buy 100 − pending sell 0) is beyond the limit of ±50")
    }

    @Test func shortBeyondTheLimitSuggestsABuy() throws {
        var venue = try quotedVenue(Balance(quote: 100_000), bid: 99, ask: 101, allowShort: true)
        _ = venue.submit(order(.sell, 40, id: "s"), at: 0)
        _ = venue.submit(order(.sell, 15, .limit, limit: 120, id: "rest"), at: 0)
        _ = venue.submit(order(.buy, 2, .limit, limit: 80, id: "bid"), at: 0)
        let state = try #require(venue.inventory(account: "desk", symbol: "BTC-USD", limits: Self.limits))
        // −40 + 2 − 15 = −53
        #expect(state.position == -40 && state.effectiveInventory == -53 && state.isOverLimit)
        #expect(state.hedgeSuggestion.map { ($0.side, $0.qty) }.map { $0 == .buy && $1 == 3 } == true)
    }

    @Test func withinTheLimitThereIsNoSuggestion() throws {
        var venue = try quotedVenue(Balance(quote: 100_000), bid: 99, ask: 101)
        _ = venue.submit(order(.buy, 50, id: "b"), at: 0)
        let state = try #require(venue.inventory(account: "desk", symbol: "BTC-USD", limits: Self.limits))
        #expect(!state.isOverLimit && state.overLimitFactor == 1 && state.hedgeSuggestion == nil)
        let unlimited = try #require(venue.inventory(account: "desk", symbol: "BTC-USD"))
        #expect(unlimited.maxInventory == nil && unlimited.overLimitFactor == 0 && !unlimited.isOverLimit)
    }

    @Test func pnlIsMarkedAtTheMid() throws {
        var venue = try quotedVenue(Balance(quote: 10_000), bid: 99, ask: 101, config: VenueConfig(takerFeeBps: 0))
        _ = venue.submit(order(.buy, 2, id: "b1"), at: 0)    // 2 @ 101
        _ = venue.touch(109, 111, at: 1)
        _ = venue.submit(order(.sell, 1, id: "s1"), at: 1)   // 1 @ 109: realized 8
        let state = try #require(venue.inventory(account: "desk", symbol: "BTC-USD"))
        #expect(state.position == 1 && state.averageEntryPrice == 101 && state.realizedPnl == 8)
        #expect(state.mark == 110 && state.unrealizedPnl == 9 && state.positionValue == 110)
    }

    /// A flat position's value and unrealised PnL are not worked out (most rows of a listing of
    /// many accounts are flat); they are what the products give, at any mark and entry price.
    @Test func aFlatPositionIsWorthWhatItsProductsGive() throws {
        var random = SeededGenerator(seed: 78)
        for _ in 0..<500 {
            let flat = Bool.random(using: &random)
            let base = flat ? Quantity.zero : Quantity(raw: Int64.random(in: -10_000_000_000 ... 10_000_000_000, using: &random))
            let entry = Price(raw: Int64.random(in: 0 ... 10_000_000_000_000, using: &random))
            let position = Position(account: "a", symbol: "BTC-USD", base: base, averageEntryPrice: entry, realizedPnl: 5)
            let mark = Price(raw: Int64.random(in: 1 ... 10_000_000_000_000, using: &random))
            let state = try InventoryState(position: position, pendingBuyQty: 0, pendingSellQty: 0, mark: mark, maxInventory: nil)
            #expect(state.unrealizedPnl == position.unrealizedPnl(mark: mark))
            #expect(state.positionValue == (try mark.notional(base)))
            if flat { #expect(state.unrealizedPnl == 0 && state.positionValue == 0 && state.realizedPnl == 5) }
        }
    }

    @Test func everyAccountAndSymbolIsListedInConfigurationOrder() throws {
        let venue = try makeVenue([
            AccountConfig(name: "a", perSymbol: ["ETH-USD": Balance(base: 3)]),
            AccountConfig(name: "b", balances: [:]),
        ])
        let all = venue.inventories(limits: try InventoryLimits(perSymbol: ["ETH-USD": 2]))
        #expect(all.map { "\($0.account)/\($0.symbol)" } == ["a/BTC-USD", "a/ETH-USD", "b/BTC-USD", "b/ETH-USD"])
        // No quote yet: no mark, and the ETH limit applies only to ETH.
        #expect(all[1].mark == nil && all[1].unrealizedPnl == 0 && all[1].isOverLimit)
        #expect(all[0].maxInventory == nil)
        #expect(venue.inventory(account: "nobody", symbol: "BTC-USD") == nil)
        #expect(venue.inventory(account: "a", symbol: "DOGE-USD") == nil)
    }

    @Test func invalidLimitsAndInputsAreRejected() {
        for limit: Quantity in [0, -1, Quantity(raw: -1)] {
            #expect(throws: TradingError.self) { try InventoryLimits(defaultMax: limit) }
            #expect(throws: TradingError.self) { try InventoryLimits(perSymbol: ["BTC-USD": limit]) }
        }
        let flat = Position(account: "a", symbol: "BTC-USD")
        #expect(throws: TradingError.self) { try InventoryState(position: flat, pendingBuyQty: -1, pendingSellQty: 0, mark: nil, maxInventory: nil) }
        #expect(throws: TradingError.self) { try InventoryState(position: flat, pendingBuyQty: 0, pendingSellQty: Quantity(raw: -1), mark: nil, maxInventory: nil) }
        #expect(throws: TradingError.self) { try InventoryState(position: flat, pendingBuyQty: 0, pendingSellQty: 0, mark: 0, maxInventory: nil) }
        #expect(throws: TradingError.self) { try InventoryState(position: flat, pendingBuyQty: 0, pendingSellQty: 0, mark: 1, maxInventory: -5) }
    }
}
