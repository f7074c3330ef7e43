import Testing
@testable import Trading

/// Margin for a short-enabled account: initial margin on orders, the figures marked to
/// market, and liquidation below maintenance margin. Every number is worked by hand.
@Suite struct VenueMarginTests {
    /// "perp": 10,000 USD, short-enabled, 5x, maintenance 50 bps; taker fee 10 bps, no
    /// slippage; BTC-USD quoted 59,990 / 60,010 (mid 60,000).
    static func venue() throws -> SimulatedVenue {
        let perp = AccountConfig(name: "perp", balances: ["USD": 10_000], allowShort: true,
                                 margin: MarginTerms(maxLeverage: 5, maintenanceBps: 50))
        var venue = try makeVenue([perp])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 0)
        return venue
    }

    static func quote(_ venue: inout SimulatedVenue, bid: Double, ask: Double) {
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: bid, ask: ask, last: (bid + ask) / 2), at: 1)
    }

    @Test func anOrderPastTheAvailableMarginIsRefusedWithTheNumbers() throws {
        var venue = try Self.venue()
        // Sell 1 at 59,990: fee 59.99, USD 10,000 + 59,990 − 59.99 = 69,930.01, equity
        // 69,930.01 − 1 × 60,000 = 9,930.01; initial margin 60,000 / 5 = 12,000 > 9,930.01.
        // Required: 12,000 of margin + 69.99 of equity lost (fee 59.99 + 10 below the mark).
        let big = venue.submit(order(.sell, 1, account: "perp", id: "big"), at: 1)
        #expect(big.status == .rejected && big.rejection?.code == .insufficientMargin)
        #expect(big.rejection?.message.hasSuffix("required 12069.99, available 10000") == true, "\(big.rejection?.message ?? "")")
        #expect(venue.balance(account: "perp", asset: "USD") == 10_000, "a refused order moves nothing")
        // Sell 0.8: fee 47.992, USD 57,944.008, equity 57,944.008 − 48,000 = 9,944.008 ≥ margin 9,600.
        #expect(venue.submit(order(.sell, 0.8, account: "perp", id: "fits"), at: 2).status == .filled)
        let state = try #require(venue.margin(account: "perp"))
        #expect(state.equity == 9_944.008 && state.marginUsed == 9_600 && state.availableMargin == 344.008)
        // Maintenance 48,000 × 0.5 % = 240. Liquidation where 57,944.008 − 0.8p = 0.8p × 0.5 %:
        // p = 57,944.008 / (0.8 × 1.005) = 72,069.66169154.
        #expect(state.maintenanceMargin == 240)
        #expect(state.liquidationPrices == ["BTC-USD": 72_069.661_691_54])
        #expect(state.collateralAsset == "USD" && state.maxLeverage == 5)
    }

    @Test func aReductionAlwaysPassesAndARestingOrderNeedsMarginToo() throws {
        var venue = try Self.venue()
        #expect(venue.submit(order(.sell, 0.8, account: "perp", id: "short"), at: 1).status == .filled)
        // A resting sell of 0.1 at 70,000 would make the worst case 0.9 × 60,000 / 5 = 10,800
        // > equity 9,944.008: refused before it rests.
        let more = venue.submit(order(.sell, 0.1, .limit, limit: 70_000, account: "perp", id: "more"), at: 2)
        #expect(more.rejection?.code == .insufficientMargin)
        // Buying back lowers the margin used, whatever the equity: it passes.
        Self.quote(&venue, bid: 71_990, ask: 72_010)
        #expect(venue.submit(order(.buy, 0.3, account: "perp", id: "cover"), at: 3).status == .filled)
        #expect(venue.position(account: "perp", symbol: "BTC-USD")?.base == -0.5)
    }

    @Test func equityBelowMaintenanceLiquidatesWithAReduceOnlyMarketOrder() throws {
        var venue = try Self.venue()
        #expect(venue.submit(order(.sell, 0.8, account: "perp", id: "short"), at: 1).status == .filled)
        // At mid 72,000: equity 57,944.008 − 57,600 = 344.008 ≥ maintenance 288: nothing.
        Self.quote(&venue, bid: 71_990, ask: 72_010)
        #expect(venue.margin(account: "perp")?.maintenanceMargin == 288)
        let none = venue.liquidateNext(at: 2)
        #expect(none == nil)
        // At mid 72,100: equity 57,944.008 − 57,680 = 264.008 < maintenance 288.4.
        Self.quote(&venue, bid: 72_090, ask: 72_110)
        let next = venue.liquidateNext(at: 3)
        let liquidation = try #require(next)
        #expect(liquidation.before.equity == 264.008 && liquidation.before.maintenanceMargin == 288.4)
        // Buy 0.8 at the ask 72,110: cost 57,688, fee 57.688; USD 57,944.008 − 57,745.688 = 198.32.
        #expect(liquidation.result.status == .filled && liquidation.result.side == .buy && liquidation.result.filledQty == 0.8)
        #expect(liquidation.result.averagePrice == 72_110 && liquidation.result.fills.first?.fee == 57.688)
        #expect(liquidation.result.clientOrderId == "liquidation-\(liquidation.result.orderId)")
        #expect(venue.balance(account: "perp", asset: "USD") == 198.32)
        #expect(venue.position(account: "perp", symbol: "BTC-USD")?.base == 0)
        let after = venue.liquidateNext(at: 4)
        #expect(after == nil, "flat: nothing left to liquidate")
    }

    @Test func spotAccountsKeepTheirBalanceChecksAndTermsAreValidated() throws {
        var venue = try makeVenue([AccountConfig(name: "spot", balances: ["USD": 10_000], allowShort: false)])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 0)
        #expect(venue.margin(account: "spot") == nil)
        #expect(venue.submit(order(.sell, 0.1, account: "spot", id: "s"), at: 1).rejection?.code == .insufficientBase)
        func refused(_ account: AccountConfig, symbols: [String] = ["BTC-USD", "ETH-USD"]) -> Bool {
            (try? makeVenue([account], symbols: symbols)) == nil
        }
        #expect(refused(AccountConfig(name: "a", balances: [:], allowShort: false, margin: MarginTerms(maxLeverage: 5))))
        #expect(refused(AccountConfig(name: "a", balances: [:], allowShort: true, margin: MarginTerms(maxLeverage: 0))))
        #expect(refused(AccountConfig(name: "a", balances: [:], allowShort: true, margin: MarginTerms(maxLeverage: 10, maintenanceBps: 1_000))))
        #expect(!refused(AccountConfig(name: "a", balances: [:], allowShort: true, margin: MarginTerms(maxLeverage: 5))))
    }
}

extension VenueMarginTests {
    @Test func liquidationCancelsTheAccountsRestingOrdersOnTheSymbolFirst() throws {
        var venue = try Self.venue()
        #expect(venue.submit(order(.sell, 0.8, account: "perp", id: "short"), at: 1).status == .filled)
        // A resting buy that would only reduce the short: worst case stays 0.8, so it fits.
        let resting = venue.submit(order(.buy, 0.1, .limit, limit: 50_000, account: "perp", id: "rest"), at: 2)
        #expect(resting.status == .open)
        #expect(venue.reservedFunds(account: "perp", symbol: "BTC-USD")?.quote.isPositive == true)
        Self.quote(&venue, bid: 72_090, ask: 72_110)
        let next = venue.liquidateNext(at: 3)
        let liquidation = try #require(next)
        #expect(liquidation.cancelled.map(\.orderId) == [resting.orderId])
        #expect(liquidation.cancelled.first?.status == .cancelled)
        #expect(liquidation.result.filledQty == 0.8 && liquidation.result.side == .buy)
        #expect(venue.openOrders.isEmpty, "nothing of the account rests after its liquidation")
        #expect(venue.reservedFunds(account: "perp", symbol: "BTC-USD")?.quote == 0)
        // The cancelled order took an id before the liquidation's: the liquidation is the newest.
        #expect(liquidation.result.orderId == "O-\(venue.ordersSubmitted)")
    }

    @Test func withDepthALiquidationTakesWhatTheLevelsHoldAndTheRestWaitsForTheRefill() throws {
        // One level of 0.5 BTC a side at the touch, refilled whole by each quote.
        let perp = AccountConfig(name: "perp", balances: ["USD": 10_000], allowShort: true,
                                 margin: MarginTerms(maxLeverage: 5, maintenanceBps: 50))
        var venue = try SimulatedVenue(config: VenueConfig(), accounts: [perp], symbols: ["BTC-USD", "ETH-USD"],
                                       rules: ["BTC-USD": SymbolRules(depth: MarketDepth(levels: 1, levelQty: 0.5))])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 0)
        // Short 0.5 then, after a refill, 0.3 at 59,990: USD 57,944.008 as for 0.8 at once.
        #expect(venue.submit(order(.sell, 0.5, account: "perp", id: "a"), at: 1).status == .filled)
        Self.quote(&venue, bid: 59_990, ask: 60_010)
        #expect(venue.submit(order(.sell, 0.3, account: "perp", id: "b"), at: 2).status == .filled)
        #expect(venue.balance(account: "perp", asset: "USD") == 57_944.008)
        // Mid 72,100: equity 264.008 < maintenance 288.4. The level holds 0.5: buy 0.5 at
        // 72,110 = 36,055, fee 36.055: USD 21,852.953, short 0.3 left.
        Self.quote(&venue, bid: 72_090, ask: 72_110)
        let liquidated = venue.liquidateNext(at: 3)
        let first = try #require(liquidated)
        #expect(first.result.status == .partiallyFilled && first.result.requestedQty == 0.8 && first.result.filledQty == 0.5)
        #expect(first.result.fills.map(\.price) == [72_110] && first.result.fills.map(\.fee) == [36.055])
        #expect(venue.balance(account: "perp", asset: "USD") == 21_852.953)
        #expect(venue.position(account: "perp", symbol: "BTC-USD")?.base == -0.3)
        // Equity 21,852.953 − 0.3 × 72,100 = 222.953 ≥ maintenance 108.15: nothing more yet.
        #expect(venue.liquidateNext(at: 3) == nil)
        // Mid 72,710, level refilled: equity 39.953 < maintenance 109.065; buy 0.3 at 72,720 =
        // 21,816, fee 21.816: USD 15.137, flat.
        Self.quote(&venue, bid: 72_700, ask: 72_720)
        let again = venue.liquidateNext(at: 4)
        let second = try #require(again)
        #expect(second.result.status == .filled && second.result.filledQty == 0.3 && second.result.averagePrice == 72_720)
        #expect(venue.balance(account: "perp", asset: "USD") == 15.137)
        #expect(venue.position(account: "perp", symbol: "BTC-USD")?.base == 0)
        #expect(venue.liquidateNext(at: 4) == nil)
    }
}
