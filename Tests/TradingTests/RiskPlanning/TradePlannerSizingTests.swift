import Testing
@testable import Trading

/// A 10 000 quote account, all cash, nothing open.
let plannerAccount = PortfolioSnapshot(capital: 10_000, cash: 10_000)

@Suite struct TradePlannerSizingTests {
    @Test func longSizedByRiskWithStandardTargetsAndLeverage() throws {
        let proposal = TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 10, confidence: 0.87)
        let plan = try #require(TradePlanner().plan(proposal, portfolio: plannerAccount).plan)
        // stop = 100 − 10 × 2 = 80; risk budget 10 000 × 2 % = 200; qty = 200 / |100 − 80| = 10
        // (the 20 % cap would allow 2000 / 100 = 20 and cash 100)
        #expect(plan.stopPrice == 80 && plan.qty == 10 && plan.sizedBy == .riskPerTradePct)
        #expect(plan.notional == 1000 && plan.riskAmount == 200 && plan.riskPct == 0.02)
        // targets: 100 + 20 × 2 / 3 / 4 = 140 / 160 / 180 for 50 / 30 / 20 % of 10
        #expect(plan.targets.map(\.price) == [140, 160, 180])
        #expect(plan.targets.map(\.qty) == [5, 3, 2])
        #expect(plan.targets.map(\.riskReward) == [2, 3, 4] && plan.targets.map(\.fraction) == [0.5, 0.3, 0.2])
        // confidence 0.87 is in the high band 0.75…1 → 10 + ⌊(0.12 / 0.25) × 10⌋ = 14x
        // margin 1000 / 14 = 71.428571428…, rounded up to 71.42857143
        #expect(plan.leverage == 14 && plan.margin == 71.42857143)
        // after: exposure 1000 / 10 000, heat 200 / 10 000, margin 71.43 / 10 000
        #expect(plan.exposureAfter == 0.1 && plan.heatAfter == 0.02 && close(plan.marginUsageAfter, 71.42857143 / 10_000, 1e-15))
        #expect(plan.warnings.isEmpty)
        #expect(plan.summary == "buy 10 BTC-USD at 100.00, stop 80.00, risk 200.00 (2.00% of capital, sized by riskPerTradePct), "
            + "targets [140.00 × 5, 160.00 × 3, 180.00 × 2], leverage 14x, exposure 10.00%, heat 2.00% after")
    }

    @Test func shortWithPercentStopCappedByPositionSize() throws {
        let limits = TradePlannerLimits(stopRule: .percent(0.05))
        let proposal = TradeProposal(symbol: "BTC-USD", side: .sell, entryPrice: 100, confidence: 0.7)
        let plan = try #require(TradePlanner(limits: limits).plan(proposal, portfolio: plannerAccount).plan)
        // stop = 100 × (1 + 5 %) = 105; by risk 200 / 5 = 40, but 20 % of 10 000 / 100 = 20 caps it
        #expect(plan.stopPrice == 105 && plan.qty == 20 && plan.sizedBy == .maxPositionSizePct)
        #expect(plan.riskAmount == 100 && plan.riskPct == 0.01)  // 20 × 5
        // short targets below: 100 − 5 × 2 / 3 / 4 = 90 / 85 / 80 for 10 / 6 / 4
        #expect(plan.targets.map(\.price) == [90, 85, 80] && plan.targets.map(\.qty) == [10, 6, 4])
        // 0.7 is in the medium band 0.65…0.75 → 5 + ⌊0.5 × 5⌋ = 7x
        #expect(plan.leverage == 7)
    }

    @Test func cappedByCash() throws {
        let portfolio = PortfolioSnapshot(capital: 10_000, cash: 500)
        let proposal = TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 10)
        let plan = try #require(TradePlanner().plan(proposal, portfolio: portfolio).plan)
        // by risk 10, by size 20, by cash 500 / 100 = 5
        #expect(plan.qty == 5 && plan.sizedBy == .cash && plan.riskAmount == 100)
        #expect(plan.targets.map(\.qty) == [2.5, 1.5, 1])
        #expect(plan.leverage == 10)  // no confidence: the default leverage
    }

    @Test func targetQuantitiesAddUpExactly() throws {
        // 1.89 × 0.5 + 1.89 × 0.3 + 1.89 × 0.2 is 1.8900000000000001 in binary; the last
        // target takes exactly the rest instead.
        let portfolio = PortfolioSnapshot(capital: 10_000, cash: 189)
        let plan = try #require(TradePlanner().plan(
            TradeProposal(symbol: "X", side: .buy, entryPrice: 100, atr: 1), portfolio: portfolio).plan)
        #expect(plan.qty == 1.89 && plan.targets.reduce(0) { $0 + $1.qty } == 1.89)
    }

    @Test func stopRulesPlaceTheStopByATROrPercent() {
        // ATR: entry ∓ ATR × 2; percent: entry × (1 ∓ 2 %)
        #expect(StopRule.atr(multiplier: 2).stopPrice(side: .buy, entry: 100, atr: 1.5) == 97)
        #expect(StopRule.atr(multiplier: 2).stopPrice(side: .sell, entry: 100, atr: 1.5) == 103)
        #expect(StopRule.percent(0.02).stopPrice(side: .buy, entry: 100, atr: nil) == 98)
        #expect(StopRule.percent(0.02).stopPrice(side: .sell, entry: 100, atr: nil) == 102)
        #expect(StopRule.atr(multiplier: 2).stopPrice(side: .buy, entry: 100, atr: nil) == nil)
        #expect(StopRule.atr(multiplier: 2).stopPrice(side: .buy, entry: 100, atr: 50) == nil)  // at zero
        #expect(StopRule.percent(1.5).stopPrice(side: .sell, entry: 100, atr: nil) == nil)
    }

    @Test func stopsRoundOntoTheTickAwayFromEntry() {
        // ATR 0.333 × 2 = 0.666: 99.334 and 100.666 off the 0.01 grid; a long's stop goes down
        // to 99.33, a short's up to 100.67, so neither is tighter than the rule asked.
        #expect(StopRule.atr(multiplier: 2).stopPrice(side: .buy, entry: 100, atr: 0.333, tick: 0.01) == 99.33)
        #expect(StopRule.atr(multiplier: 2).stopPrice(side: .sell, entry: 100, atr: 0.333, tick: 0.01) == 100.67)
        // On the grid already: unchanged.
        #expect(StopRule.percent(0.02).stopPrice(side: .buy, entry: 100, atr: nil, tick: 0.01) == 98)
        // A stop that would round down to zero cannot be placed.
        #expect(StopRule.percent(0.99).stopPrice(side: .buy, entry: 1, atr: nil, tick: 0.05) == nil)
    }

    @Test func stopsAreOnTheGridAndOnTheSafeSideForRandomInputs() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            let tick = Price(raw: [1, 100, 1_000_000, 50_000_000, 100_000_000].randomElement(using: &rng)!)
            let entry = Price(raw: Int64.random(in: 1...10_000_000_000_000, using: &rng))
            let side: Side = Bool.random(using: &rng) ? .buy : .sell
            let rule: StopRule = Bool.random(using: &rng)
                ? .atr(multiplier: Double.random(in: 0.5...4, using: &rng)) : .percent(Double.random(in: 0.001...0.5, using: &rng))
            let atr = entry.double * Double.random(in: 0.0001...0.2, using: &rng)
            guard let stop = rule.stopPrice(side: side, entry: entry, atr: atr, tick: tick) else { continue }
            #expect(stop.isMultiple(of: tick) && stop.isPositive)
            // The distance the rule asks for, in exact decimal for a percentage and in Double for
            // an ATR: the stop is at least that far from entry, on the losing side.
            let asked: Price = switch rule {
            case .atr(let multiplier): try Price(rounding: atr * multiplier, .down)
            case .percent(let fraction): try ExactFraction(fraction)!.of(entry, .down)
            }
            let distance = side == .buy ? entry - stop : stop - entry
            #expect(distance >= asked, "\(side) entry \(entry) tick \(tick) \(rule): stop \(stop), asked \(asked)")
            // …and less than one tick further than that.
            #expect(distance - asked <= tick, "\(side) entry \(entry) tick \(tick) \(rule): stop \(stop)")
        }
    }

    @Test func leverageRisesWithinEachConfidenceBand() {
        let bands = LeverageBands()  // high 10–20x from 0.75, medium 5–10x from 0.65, low 2–5x
        #expect(bands.leverage(confidence: 1) == 20 && bands.leverage(confidence: 0.75) == 10)
        #expect(bands.leverage(confidence: 0.87) == 14)  // 10 + ⌊0.48 × 10⌋
        #expect(bands.leverage(confidence: 0.7) == 7 && bands.leverage(confidence: 0.65) == 5)
        #expect(bands.leverage(confidence: 0.5) == 4)  // 2 + ⌊(0.5 / 0.65) × 3⌋ = 2 + ⌊2.31⌋
        #expect(bands.leverage(confidence: 0) == 2)
        #expect(bands.leverage(confidence: 1.2) == nil && bands.leverage(confidence: .nan) == nil)
    }

    @Test func maxLeverageCapsTheBands() throws {
        let limits = TradePlannerLimits(maxLeverage: 8)
        let plan = try #require(TradePlanner(limits: limits).plan(
            TradeProposal(symbol: "X", side: .buy, entryPrice: 100, atr: 10, confidence: 0.95), portfolio: plannerAccount).plan)
        #expect(plan.leverage == 8)  // the high band alone gives 17x (0.95 − 0.75 = 0.19999… in binary)
    }

    @Test func heatAndExposureOfASnapshot() throws {
        let portfolio = PortfolioSnapshot(capital: 10_000, cash: 7_000, positions: [
            OpenTrade(symbol: "BTC-USD", side: .buy, qty: 2, entryPrice: 1000, stopPrice: 900, leverage: 2),
            OpenTrade(symbol: "ETH-USD", side: .sell, qty: 10, entryPrice: 100, stopPrice: 110),
            // stop moved past entry: locks in profit, risks nothing
            OpenTrade(symbol: "SOL-USD", side: .buy, qty: 5, entryPrice: 20, stopPrice: 25),
        ])
        // heat = (2 × 100 + 10 × 10 + 0) / 10 000 = 3 %
        #expect(try portfolio.totalOpenRisk == 300 && portfolio.portfolioHeat == 0.03)
        // exposure (2000 + 1000 + 100) / 10 000; margin 2000 / 2 + 1000 + 100 = 2100
        #expect(try portfolio.exposurePct == 0.31 && portfolio.totalMargin == 2100 && portfolio.marginUsage == 0.21)
    }
}
