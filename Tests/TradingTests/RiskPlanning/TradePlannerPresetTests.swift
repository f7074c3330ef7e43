import Testing
@testable import Trading

@Suite struct TradePlannerPresetTests {
    @Test func defaultsAreTheStandardSession() {
        let limits = TradePlannerLimits()
        #expect(limits.maxPositionSizePct == 0.20 && limits.maxTotalExposurePct == 0.60)
        #expect(limits.maxConcurrentPositions == 5 && limits.riskPerTradePct == 0.02)
        #expect(!limits.allowPyramiding && !limits.allowHedging)
        #expect(limits.maxLeverage == 20 && limits.defaultLeverage == 10)
        #expect(limits.leverageByConfidence == LeverageBands(highFrom: 0.75, mediumFrom: 0.65, high: 10...20, medium: 5...10, low: 2...5))
        #expect(limits.stopRule == .atr(multiplier: 2))
        #expect(limits.takeProfits.map(\.riskReward) == [2, 3, 4] && limits.takeProfits.map(\.fraction) == [0.5, 0.3, 0.2])
    }

    @Test func conservativePreset() throws {
        let limits = TradePlannerLimits.conservative
        #expect(limits.maxPositionSizePct == 0.10 && limits.maxTotalExposurePct == 0.40)
        #expect(limits.maxConcurrentPositions == 3 && limits.riskPerTradePct == 0.01)
        #expect(!limits.allowPyramiding && !limits.allowHedging)
        #expect(limits.maxLeverage == 5 && limits.defaultLeverage == 2)
        #expect(limits.leverageByConfidence.high == 5...5 && limits.leverageByConfidence.medium == 3...3
            && limits.leverageByConfidence.low == 2...2)
        let planner = TradePlanner(limits: limits)
        // risk 10 000 × 1 % = 100 over a stop 20 away = 5, under the 10 % cap of 1000 / 100 = 10
        let plan = try #require(planner.plan(
            TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 10, confidence: 0.9), portfolio: plannerAccount).plan)
        #expect(plan.qty == 5 && plan.riskAmount == 100 && plan.leverage == 5)
        let leverages = [0.7, 0.5, nil].map { confidence in
            planner.plan(TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 10, confidence: confidence),
                         portfolio: plannerAccount).plan?.leverage
        }
        #expect(leverages == [3, 2, 2])  // medium, low, default
        // Three positions is the conservative maximum.
        let three = PortfolioSnapshot(capital: 10_000, cash: 9_700, positions: (1...3).map {
            OpenTrade(symbol: "C\($0)", side: .buy, qty: 1, entryPrice: 100, stopPrice: 99)
        })
        let refused = try #require(planner.plan(plannerBuy, portfolio: three).rejection)
        #expect(refused.limit == .maxConcurrentPositions && refused.message == "3 positions open, at the maximum of 3")
    }

    @Test func aggressivePreset() throws {
        let limits = TradePlannerLimits.aggressive
        #expect(limits.maxPositionSizePct == 0.30 && limits.maxTotalExposurePct == 0.80)
        #expect(limits.maxConcurrentPositions == 8 && limits.riskPerTradePct == 0.03)
        #expect(limits.allowPyramiding && limits.allowHedging)
        #expect(limits.maxLeverage == 20 && limits.defaultLeverage == 10)
        #expect(limits.leverageByConfidence.high == 20...20 && limits.leverageByConfidence.medium == 10...10
            && limits.leverageByConfidence.low == 5...5)
        let planner = TradePlanner(limits: limits)
        // risk 10 000 × 3 % = 300 over 20 = 15, under the 30 % cap of 3000 / 100 = 30
        let plan = try #require(planner.plan(
            TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100, atr: 10, confidence: 0.9), portfolio: plannerAccount).plan)
        #expect(plan.qty == 15 && plan.riskAmount == 300 && plan.leverage == 20)
        // Hedging is allowed: a long against an open short goes through.
        let short = PortfolioSnapshot(capital: 10_000, cash: 10_000, positions: [
            OpenTrade(symbol: "BTC-USD", side: .sell, qty: 1, entryPrice: 100, stopPrice: 105)])
        #expect(planner.plan(plannerBuy, portfolio: short).plan?.qty == 15)
    }

    @Test func heatWarningAboveTenPercent() throws {
        // open risk 10 × (200 − 110) = 900, new 200: 1100 / 10 000 = 11 % > 10 %, under the 15 % cap
        let portfolio = PortfolioSnapshot(capital: 10_000, cash: 8_000, positions: [
            OpenTrade(symbol: "ETH-USD", side: .buy, qty: 10, entryPrice: 200, stopPrice: 110)])
        let plan = try #require(TradePlanner().plan(plannerBuy, portfolio: portfolio).plan)
        #expect(plan.heatAfter == 0.11)
        #expect(plan.warnings == [PlanWarning(kind: .portfolioHeat, value: 0.11, threshold: 0.10,
                                              message: "portfolio heat 11.00% above 10.00%")])
    }

    @Test func marginWarningsAtEightyAndNinetyPercent() throws {
        // Exposure allowed to 100 %; positions at 1x with stops at entry (no heat).
        let limits = TradePlannerLimits(maxTotalExposurePct: 1)
        func plan(posted: Money) throws -> TradePlan {
            let portfolio = PortfolioSnapshot(capital: 10_000, cash: 10_000, positions: [
                OpenTrade(symbol: "ETH-USD", side: .buy, qty: Quantity(raw: posted.raw / 100), entryPrice: 100, stopPrice: 100)])
            return try #require(TradePlanner(limits: limits).plan(plannerBuy, portfolio: portfolio).plan)
        }
        // new 1000 notional at the default 10x posts 100
        #expect(try plan(posted: 7_800).warnings.isEmpty)  // 7900 / 10 000 = 79 %
        let warned = try plan(posted: 8_000)  // 8100 → 81 %
        #expect(warned.warnings.map(\.kind) == [.marginUsage] && warned.marginUsageAfter == 0.81)
        #expect(warned.warnings.first?.message == "margin usage 81.00% above 80.00%")
        let critical = try plan(posted: 9_000)  // 9100 → 91 %
        #expect(critical.warnings.map(\.kind) == [.marginUsageCritical])
        #expect(critical.warnings.first?.message == "margin usage 91.00% above 90.00% (critical)")
    }
}
