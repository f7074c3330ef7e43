import Testing
@testable import Trading

/// The planner's limits decided exactly: a plan landing exactly on a limit is approved, one
/// 10⁻⁸ (or one lot) past it refused, and sizes never exceed what the limits allow.
@Suite struct TradePlannerExactLimitTests {
    /// A buy at 100 with a stop 1 % below (99), at the default 10x.
    static let buy = TradeProposal(symbol: "BTC-USD", side: .buy, entryPrice: 100)
    static let onePercentStop = TradePlannerLimits(stopRule: .percent(0.01))

    static func account(holding position: OpenTrade) -> PortfolioSnapshot {
        PortfolioSnapshot(capital: 10_000, cash: 10_000, positions: [position])
    }

    @Test func aSizeCapThatIsExactInDecimalIsReachedExactly() throws {
        // 100 × 0.29 is 28.999999999999996 in binary, which the floating-point planner rounded
        // down to 28 whole units; exactly it is 29, the cap itself.
        let limits = TradePlannerLimits(maxPositionSizePct: 0.29, riskPerTradePct: 1, maxPortfolioHeatPct: 1, stopRule: .percent(0.5))
        let proposal = TradeProposal(symbol: "X", side: .buy, entryPrice: 1, lot: 1)
        let plan = try #require(TradePlanner(limits: limits).plan(proposal, portfolio: PortfolioSnapshot(capital: 100, cash: 100)).plan)
        #expect(plan.qty == 29 && plan.notional == 29 && plan.sizedBy == .maxPositionSizePct)
        // One 10⁻⁸ less capital puts the cap below 29: a whole lot less, never a lot more.
        let poorer = try #require(TradePlanner(limits: limits).plan(
            proposal, portfolio: PortfolioSnapshot(capital: 99.99999999, cash: 100)).plan)
        #expect(poorer.qty == 28)
    }

    @Test func totalExposureExactlyAtTheLimitIsApprovedAndOneUnitPastIsRefused() throws {
        // Limit 60 % of 10,000 = 6,000. Held 4,000 (4,000 units at 1, stop at entry: no risk);
        // the new position is 20 % = 20 at 100 = 2,000. Total exactly 6,000.
        let held = OpenTrade(symbol: "ETH-USD", side: .buy, qty: 4_000, entryPrice: 1, stopPrice: 1)
        let plan = try #require(TradePlanner(limits: Self.onePercentStop).plan(Self.buy, portfolio: Self.account(holding: held)).plan)
        #expect(plan.qty == 20 && plan.notional == 2_000 && plan.exposureAfter == 0.6)
        // Held 4,000.00000001: the total is 6,000.00000001, one unit past the limit.
        var over = held
        over.qty = 4_000.00000001
        let refusal = try #require(TradePlanner(limits: Self.onePercentStop).plan(Self.buy, portfolio: Self.account(holding: over)).rejection)
        #expect(refusal.limit == .maxTotalExposurePct && refusal.allowed == 0.6)
    }

    @Test func heatExactlyAtTheLimitIsApprovedAndOneUnitPastIsRefused() throws {
        // Limit 15 % of 10,000 = 1,500 at risk. Held 1,300 at 2 with the stop at 1: 1,300 at
        // risk. New: 2 % = 200 at risk with a 10 % stop (10 per unit), 20 units. Total 1,500.
        let limits = TradePlannerLimits(stopRule: .percent(0.1))
        let held = OpenTrade(symbol: "ETH-USD", side: .buy, qty: 1_300, entryPrice: 2, stopPrice: 1)
        let plan = try #require(TradePlanner(limits: limits).plan(Self.buy, portfolio: Self.account(holding: held)).plan)
        #expect(plan.qty == 20 && plan.riskAmount == 200 && plan.heatAfter == 0.15)
        var over = held
        over.qty = 1_300.00000001
        let refusal = try #require(TradePlanner(limits: limits).plan(Self.buy, portfolio: Self.account(holding: over)).rejection)
        #expect(refusal.limit == .maxPortfolioHeatPct && refusal.allowed == 0.15)
        // One lot more held, in lots of 0.01, is refused the same way.
        over.qty = 1_300.01
        #expect(try plannerRejection(Self.account(holding: over), proposal: Self.buy, limits: limits).limit == .maxPortfolioHeatPct)
    }

    @Test func marginExactlyAtCapitalIsApprovedAndOneUnitPastIsRefused() throws {
        // Held 9,800 at 1x posts 9,800; the new 2,000 at 10x posts 200: exactly 100 % of capital.
        let limits = TradePlannerLimits(maxTotalExposurePct: 2, stopRule: .percent(0.01))
        let held = OpenTrade(symbol: "ETH-USD", side: .buy, qty: 9_800, entryPrice: 1, stopPrice: 1)
        let plan = try #require(TradePlanner(limits: limits).plan(Self.buy, portfolio: Self.account(holding: held)).plan)
        #expect(plan.margin == 200 && plan.marginUsageAfter == 1)
        var over = held
        over.qty = 9_800.00000001
        let refusal = try #require(TradePlanner(limits: limits).plan(Self.buy, portfolio: Self.account(holding: over)).rejection)
        #expect(refusal.limit == .marginUsage)
    }

    @Test func riskExactlyAtTheBudgetIsTheSize() throws {
        // 2 % of 12,345.67 = 246.9134; stop 1 % below 100 = 99, so 246.9134 / 1 = 246.9134 units,
        // capped by 20 % = 2,469.134 / 100 = 24.69134 units. With the risk cap the binding one
        // (riskPerTradePct 0.002): 24.691340 × 1 = 24.69134 at risk, exactly the budget.
        let limits = TradePlannerLimits(riskPerTradePct: 0.002, stopRule: .percent(0.01))
        let plan = try #require(TradePlanner(limits: limits).plan(
            Self.buy, portfolio: PortfolioSnapshot(capital: 12_345.67, cash: 12_345.67)).plan)
        #expect(plan.sizedBy == .riskPerTradePct && plan.qty == 24.69134 && plan.riskAmount == 24.69134)
    }

    @Test func sizesNeverExceedALimitAndAreWithinOneLotOfTheTightest() throws {
        var rng = SeededGenerator(seed: 2_024)
        var approved = 0
        for _ in 0..<3_000 {
            let capital = Money(raw: Int64.random(in: 100_000_000...10_000_000_000_000, using: &rng))
            let cash = Money(raw: Int64.random(in: 0...capital.raw, using: &rng))
            let entry = Price(raw: Int64.random(in: 1_000_000...10_000_000_000_000, using: &rng))
            let lot = Quantity(raw: [1, 1_000, 1_000_000, 100_000_000].randomElement(using: &rng)!)
            let tick = Price(raw: [1, 1_000_000, 100_000_000].randomElement(using: &rng)!)
            let limits = TradePlannerLimits(
                maxPositionSizePct: Double(Int.random(in: 1...100, using: &rng)) / 100, maxTotalExposurePct: 10,
                riskPerTradePct: Double(Int.random(in: 1...500, using: &rng)) / 10_000, maxPortfolioHeatPct: 10,
                stopRule: .atr(multiplier: 2))
            let side: Side = Bool.random(using: &rng) ? .buy : .sell
            let atr = entry.double * Double.random(in: 0.001...0.2, using: &rng)
            let proposal = TradeProposal(symbol: "X", side: side, entryPrice: entry, atr: atr, lot: lot, tick: tick)
            guard let plan = TradePlanner(limits: limits).plan(proposal, portfolio: PortfolioSnapshot(capital: capital, cash: cash)).plan
            else { continue }
            approved += 1
            let size = try #require(ExactFraction(limits.maxPositionSizePct)), risk = try #require(ExactFraction(limits.riskPerTradePct))
            let distance = (entry - plan.stopPrice).magnitude
            #expect(plan.qty.isPositive && plan.qty.isMultiple(of: lot) && plan.stopPrice.isMultiple(of: tick))
            let notional = try entry.notional(plan.qty, .up), atRisk = try distance.notional(plan.qty, .up)
            // Never past a limit…
            #expect(size.admits(notional, of: capital) && risk.admits(atRisk, of: capital) && notional <= cash, "\(plan.summary)")
            #expect(plan.notional == notional && plan.riskAmount == atRisk)
            // …and one lot more would pass one of them.
            let more = plan.qty + lot
            let moreNotional = try entry.notional(more, .up), moreRisk = try distance.notional(more, .up)
            #expect(!size.admits(moreNotional, of: capital) || !risk.admits(moreRisk, of: capital) || moreNotional > cash,
                    "one lot more still fits: \(plan.summary)")
        }
        #expect(approved > 1_000)
    }
}
