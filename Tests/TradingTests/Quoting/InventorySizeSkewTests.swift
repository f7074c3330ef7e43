import Testing
@testable import Trading

@Suite struct InventorySizeSkewTests {
    // Hummingbot's inventory-skew example: a portfolio worth 10 BTC, target 50 % base, one
    // refresh of orders totals 1 BTC and the range multiplier is 1, so the band is 40–60 %.
    static let skew = try! InventorySizeSkew(inventoryTargetBasePct: 0.5, inventoryRangeMultiplier: 1)

    static func multipliers(base: Double) throws -> SizeMultipliers {
        try skew.multipliers(baseBalance: base, quoteBalance: (10 - base) * 6_000, price: 6_000, totalOrderSize: 1)
    }

    @Test func sizesScaleLinearlyAcrossTheBand() throws {
        #expect(try Self.multipliers(base: 5) == SizeMultipliers(bid: 1, ask: 1))
        let heavy = try Self.multipliers(base: 5.5)
        #expect(close(heavy.bid, 0.5) && close(heavy.ask, 1.5))
        let light = try Self.multipliers(base: 4.5)
        #expect(close(light.bid, 1.5) && close(light.ask, 0.5))
    }

    @Test func beyondTheBandTheMultipliersClampAtZeroAndTwo() throws {
        #expect(try Self.multipliers(base: 6) == SizeMultipliers(bid: 0, ask: 2))
        #expect(try Self.multipliers(base: 9) == SizeMultipliers(bid: 0, ask: 2))
        #expect(try Self.multipliers(base: 4) == SizeMultipliers(bid: 2, ask: 0))
        #expect(try Self.multipliers(base: 0) == SizeMultipliers(bid: 2, ask: 0))
    }

    @Test func aWiderRangeIsGentler() throws {
        let gentle = try InventorySizeSkew(inventoryTargetBasePct: 0.5, inventoryRangeMultiplier: 2)
        let at = try gentle.multipliers(baseBalance: 5.5, quoteBalance: 27_000, price: 6_000, totalOrderSize: 1)
        #expect(close(at.bid, 0.75) && close(at.ask, 1.25))
    }

    @Test func aWorthlessPortfolioQuotesNothingAndBadInputsThrow() throws {
        #expect(try Self.skew.multipliers(baseBalance: 0, quoteBalance: 0, price: 100, totalOrderSize: 1) == SizeMultipliers(bid: 0, ask: 0))
        #expect(throws: TradingError.self) { try Self.skew.multipliers(baseBalance: .nan, quoteBalance: 0, price: 100, totalOrderSize: 1) }
        #expect(throws: TradingError.self) { try Self.skew.multipliers(baseBalance: 1, quoteBalance: 0, price: 0, totalOrderSize: 1) }
        #expect(throws: TradingError.self) { try Self.skew.multipliers(baseBalance: 1, quoteBalance: 0, price: 1, totalOrderSize: 0) }
        #expect(throws: TradingError.self) { try InventorySizeSkew(inventoryTargetBasePct: 1.2) }
        #expect(throws: TradingError.self) { try InventorySizeSkew(inventoryRangeMultiplier: 0) }
    }

    @Test func aTargetOfZeroBaseNeverDividesByZero() throws {
        let none = try InventorySizeSkew(inventoryTargetBasePct: 0)
        #expect(try none.multipliers(baseBalance: 0, quoteBalance: 1_000, price: 100, totalOrderSize: 1) == SizeMultipliers(bid: 1, ask: 1))
        #expect(try none.multipliers(baseBalance: -1, quoteBalance: 1_000, price: 100, totalOrderSize: 1) == SizeMultipliers(bid: 2, ask: 0))
    }

    @Test func theLadderTotalOrderSizeFeedsTheSkew() throws {
        let ladder = try QuoteLadder(spread: 0.01, maxOrders: 2, quantity: 0.25, maxPosition: 100)
        #expect(ladder.totalOrderSize == 1)
        let plan = try ladder.plan(mid: 6_000, position: 5.5, unrealizedPnl: 0, sizeMultipliers: try Self.multipliers(base: 5.5))
        #expect(plan.bids.map(\.qty).allSatisfy { $0 == 0.125 } && plan.asks.map(\.qty).allSatisfy { $0 == 0.375 })
    }
}
