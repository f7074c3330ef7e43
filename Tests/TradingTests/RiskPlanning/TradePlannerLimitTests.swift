import Testing
@testable import Trading

/// Buy 100 with a 10-wide ATR: stop 80, qty 10, notional 1000, risk 200 under the defaults.
let plannerBuy = TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 10)

/// The rejection of `proposal`, failing the test when it was approved.
func plannerRejection(
    _ portfolio: PortfolioSnapshot, proposal: TradeProposal = plannerBuy,
    limits: TradePlannerLimits = TradePlannerLimits(), sourceLocation: SourceLocation = #_sourceLocation
) throws -> TradeRejection {
    try #require(TradePlanner(limits: limits).plan(proposal, portfolio: portfolio).rejection, sourceLocation: sourceLocation)
}

@Suite struct TradePlannerLimitTests {
    @Test func noPyramidingUnlessAllowed() throws {
        let held = PortfolioSnapshot(capital: 10_000, cash: 9_820, positions: [
            OpenTrade(symbol: "BTC-USD", side: .buy, qty: 2, entryPrice: 90, stopPrice: 80)])
        let refused = try plannerRejection(held)
        #expect(refused.limit == .allowPyramiding && refused.observed == 2)
        #expect(refused.message == "already long 2 BTC-USD from 90.00; adding to it needs allowPyramiding")
        // Allowed, and adding to a held position does not count as another position.
        let limits = TradePlannerLimits(maxConcurrentPositions: 1, allowPyramiding: true)
        #expect(TradePlanner(limits: limits).plan(plannerBuy, portfolio: held).plan?.qty == 10)
    }

    @Test func noHedgingUnlessAllowed() throws {
        let held = PortfolioSnapshot(capital: 10_000, cash: 10_000, positions: [
            OpenTrade(symbol: "BTC-USD", side: .sell, qty: 3, entryPrice: 100, stopPrice: 110)])
        let refused = try plannerRejection(held)
        #expect(refused.limit == .allowHedging)
        #expect(refused.message == "already short 3 BTC-USD; opening a long against it needs allowHedging")
        #expect(TradePlanner(limits: TradePlannerLimits(allowHedging: true)).plan(plannerBuy, portfolio: held).plan != nil)
    }

    @Test func maxConcurrentPositions() throws {
        let five = PortfolioSnapshot(capital: 10_000, cash: 9_000, positions: (1...5).map {
            OpenTrade(symbol: "C\($0)", side: .buy, qty: 1, entryPrice: 100, stopPrice: 99)
        })
        let refused = try plannerRejection(five)
        #expect(refused.limit == .maxConcurrentPositions && refused.observed == 5 && refused.allowed == 5)
        #expect(refused.message == "5 positions open, at the maximum of 5")
        var four = five
        four.positions.removeLast()
        #expect(TradePlanner().plan(plannerBuy, portfolio: four).plan != nil)
    }

    @Test func noCash() throws {
        let refused = try plannerRejection(PortfolioSnapshot(capital: 10_000, cash: 0))
        #expect(refused.limit == .cash && refused.message == "no cash to open with: 0.00 available")
    }

    @Test func maxTotalExposure() throws {
        // open 5 × 1100 = 5500; new 10 × 100 = 1000; (5500 + 1000) / 10 000 = 65 % > 60 %
        let portfolio = PortfolioSnapshot(capital: 10_000, cash: 4_500, positions: [
            OpenTrade(symbol: "ETH-USD", side: .buy, qty: 5, entryPrice: 1100, stopPrice: 1090)])
        let refused = try plannerRejection(portfolio)
        #expect(refused.limit == .maxTotalExposurePct && refused.observed == 0.65 && refused.allowed == 0.6)
        #expect(refused.message == "total exposure would be 65.00% of capital 10000.00 (open 5500.00 + new 1000.00 = 6500.00), "
            + "above maxTotalExposurePct 60.00%")
        // 5000 open + 1000 new = 60 % exactly is still allowed.
        let atLimit = PortfolioSnapshot(capital: 10_000, cash: 5_000, positions: [
            OpenTrade(symbol: "ETH-USD", side: .buy, qty: 5, entryPrice: 1000, stopPrice: 990)])
        #expect(TradePlanner().plan(plannerBuy, portfolio: atLimit).plan?.exposureAfter == 0.6)
    }

    @Test func maxPortfolioHeat() throws {
        // open risk 10 × (200 − 60) = 1400; new 200; 1600 / 10 000 = 16 % > 15 %
        let portfolio = PortfolioSnapshot(capital: 10_000, cash: 8_000, positions: [
            OpenTrade(symbol: "ETH-USD", side: .buy, qty: 10, entryPrice: 200, stopPrice: 60)])
        let refused = try plannerRejection(portfolio)
        #expect(refused.limit == .maxPortfolioHeatPct && refused.observed == 0.16 && refused.allowed == 0.15)
        #expect(refused.message == "portfolio heat would be 16.00% (open risk 1400.00 + new 200.00 = 1600.00 of capital "
            + "10000.00), above maxPortfolioHeatPct 15.00%")
    }

    @Test func marginAboveAllCapital() throws {
        // Exposure allowed to 200 %; 9500 already posted at 1x, new 1000 at the default 1x:
        // 10 500 / 10 000 = 105 %
        let limits = TradePlannerLimits(maxTotalExposurePct: 2, defaultLeverage: 1)
        let portfolio = PortfolioSnapshot(capital: 10_000, cash: 10_000, positions: [
            OpenTrade(symbol: "ETH-USD", side: .buy, qty: 95, entryPrice: 100, stopPrice: 100)])
        let refused = try plannerRejection(portfolio, limits: limits)
        #expect(refused.limit == .marginUsage && refused.observed == 1.05 && refused.allowed == 1)
        #expect(refused.message == "margin would be 105.00% of capital 10000.00 (posted 9500.00 + new 1000.00 at 1x = "
            + "10500.00), above 100.00%")
    }

    @Test func stopThatCannotBePlaced() throws {
        let noAtr = try plannerRejection(
            plannerAccount, proposal: TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100))
        #expect(noAtr.limit == .stopLoss && noAtr.message == "an ATR stop needs the ATR, and the proposal has none")
        // 100 − 2 × 60 = −20
        let tooWide = try plannerRejection(
            plannerAccount, proposal: TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 60))
        #expect(tooWide.limit == .stopLoss && tooWide.observed == 60)
        #expect(tooWide.message.hasPrefix("cannot place a stop 2.00 × ATR 60.00 from entry 100.00"))
    }

    @Test func takeProfitBelowZero() throws {
        // short from 100, stop 100 + 2 × 15 = 130; 4R target 100 − 30 × 4 = −20
        let refused = try plannerRejection(
            plannerAccount, proposal: TradeProposal(symbol: "BTC-USD", side: .sell, entryPrice: 100, atr: 15))
        #expect(refused.limit == .takeProfit && refused.observed == -20)
        #expect(refused.message == "target 4.00R of a short from 100.00 with stop 130.00 would be at -20.00")
    }

    @Test func impossibleInputs() throws {
        let zeroEntry = TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 0, atr: 10)
        #expect(try plannerRejection(plannerAccount, proposal: zeroEntry).limit == .input)
        let overconfident = TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 10, confidence: 1.5)
        #expect(try plannerRejection(plannerAccount, proposal: overconfident).message == "confidence must be in 0...1, got 1.5")
        #expect(try plannerRejection(PortfolioSnapshot(capital: 0, cash: 100)).limit == .input)
        // A position whose notional does not fit the range is refused, not wrapped or trapped on.
        let huge = PortfolioSnapshot(capital: 10_000, cash: 10_000, positions: [
            OpenTrade(symbol: "ETH-USD", side: .buy, qty: Quantity(raw: .max), entryPrice: 1_000, stopPrice: 900)])
        #expect(try plannerRejection(huge).limit == .input)
        let badPosition = PortfolioSnapshot(capital: 10_000, cash: 10_000, positions: [
            OpenTrade(symbol: "ETH-USD", side: .buy, qty: -1, entryPrice: 100, stopPrice: 90)])
        #expect(try plannerRejection(badPosition).message == "position ETH-USD has quantity -1, not positive")
    }

    @Test func invalidLimits() throws {
        #expect(try plannerRejection(plannerAccount, limits: TradePlannerLimits(riskPerTradePct: 0)).limit == .config)
        #expect(try plannerRejection(plannerAccount, limits: TradePlannerLimits(maxConcurrentPositions: 0)).limit == .config)
        let overAllocated = [TakeProfitLevel(riskReward: 2, fraction: 0.7), TakeProfitLevel(riskReward: 3, fraction: 0.5)]
        #expect(try plannerRejection(plannerAccount, limits: TradePlannerLimits(takeProfits: overAllocated)).limit == .config)
        let descending = [TakeProfitLevel(riskReward: 3, fraction: 0.5), TakeProfitLevel(riskReward: 2, fraction: 0.5)]
        #expect(try plannerRejection(plannerAccount, limits: TradePlannerLimits(takeProfits: descending)).limit == .config)
    }
}
