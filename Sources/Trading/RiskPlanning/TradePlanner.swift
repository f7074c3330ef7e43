/// Sizes and vets a new position as a risk and portfolio manager would: fixed-fractional
/// risk to a stop, capped per position and by cash, with scale-out targets,
/// confidence-based leverage and portfolio-level limits.
///
/// Rules in order: limits valid; proposal and portfolio valid; no pyramiding or hedging
/// unless allowed; fewer than maxConcurrentPositions open (adding to a held position
/// opens none); a stop can be placed; then
/// qty = min(capital × riskPerTradePct / |entry − stop|, capital × maxPositionSizePct / entry,
/// cash / entry); targets inside price; total exposure, portfolio heat and margin within
/// their limits after the trade.
public struct TradePlanner: Sendable, Hashable, Codable {
    /// The limits applied.
    public var limits: TradePlannerLimits

    /// Creates a planner.
    public init(limits: TradePlannerLimits = TradePlannerLimits()) {
        self.limits = limits
    }

    /// Plans `proposal` against `portfolio`, or says which rule refused it and why.
    public func plan(_ proposal: TradeProposal, portfolio: PortfolioSnapshot) -> TradePlanDecision {
        if let rejection = configurationProblem() ?? inputProblem(proposal, portfolio)
            ?? positionRuleProblem(proposal, portfolio) {
            return .rejected(rejection)
        }
        guard let stop = limits.stopRule.stopPrice(side: proposal.side, entry: proposal.entryPrice, atr: proposal.atr)
        else { return .rejected(stopProblem(proposal)) }
        let entry = proposal.entryPrice
        let capital = portfolio.capital
        let stopDistance = abs(entry - stop)
        let byRisk = capital * limits.riskPerTradePct / stopDistance
        let bySize = capital * limits.maxPositionSizePct / entry
        let byCash = max(portfolio.cash, 0) / entry
        let modelQty = min(byRisk, bySize, byCash)
        let sizedBy: PlanLimit = byRisk <= min(bySize, byCash) ? .riskPerTradePct : bySize <= byCash ? .maxPositionSizePct : .cash
        // The sizing model is floating point; its size becomes exact here, rounded down so
        // the plan never exceeds a limit.
        guard modelQty > 0, let qty = try? Quantity(rounding: modelQty, .down), qty.isPositive else {
            return .rejected(TradeRejection(limit: .cash, observed: portfolio.cash, allowed: nil,
                                            message: "no cash to open with: \(NumberText.money(portfolio.cash)) available"))
        }
        let targets: [PlannedTarget]
        switch scaleOutTargets(side: proposal.side, entry: entry, stop: stop, qty: qty) {
        case .success(let planned): targets = planned
        case .failure(let rejection): return .rejected(rejection)
        }
        let leverage = min(proposal.confidence.flatMap(limits.leverageByConfidence.leverage) ?? limits.defaultLeverage,
                           limits.maxLeverage)
        let opened = OpenTrade(symbol: proposal.symbol, side: proposal.side, qty: qty.double, entryPrice: entry,
                               stopPrice: stop, leverage: leverage)
        let after = PortfolioSnapshot(capital: capital, cash: portfolio.cash, positions: portfolio.positions + [opened])
        if let rejection = portfolioLimitProblem(before: portfolio, after: after, new: opened) { return .rejected(rejection) }
        let heat = after.portfolioHeat ?? 0
        let plan = TradePlan(
            symbol: proposal.symbol, side: proposal.side, entryPrice: entry, stopPrice: stop, qty: qty,
            notional: opened.notional, riskAmount: opened.openRisk, riskPct: opened.openRisk / capital, sizedBy: sizedBy,
            leverage: leverage, margin: opened.margin, targets: targets, exposureAfter: after.exposurePct ?? 0,
            heatAfter: heat, marginUsageAfter: after.marginUsage ?? 0, warnings: warnings(after: after), summary: "")
        return .approved(Self.summarised(plan))
    }

    /// The scale-out targets: each level at entry ± |entry − stop| ×
    /// riskReward, exiting qty × fraction rounded down to 10⁻⁸. When the fractions add up
    /// to one the last target takes exactly what is left, so the parts sum to qty.
    func scaleOutTargets(side: Side, entry: Double, stop: Double, qty: Quantity) -> Result<[PlannedTarget], TradeRejection> {
        let distance = abs(entry - stop)
        let fractionTotal = limits.takeProfits.reduce(0) { $0 + $1.fraction }
        let coversAll = abs(fractionTotal - 1) <= 1e-9
        var targets: [PlannedTarget] = []
        for level in limits.takeProfits {
            let price = entry + side.sign * distance * level.riskReward
            guard Indicators.isPrice(price) else {
                return .failure(TradeRejection(
                    limit: .takeProfit, observed: price, allowed: nil,
                    message: "target \(NumberText.fixed(level.riskReward, 2))R of a \(side == .buy ? "long" : "short") "
                        + "from \(NumberText.price(entry)) with stop \(NumberText.price(stop)) would be at \(NumberText.price(price))"))
            }
            targets.append(PlannedTarget(riskReward: level.riskReward, fraction: level.fraction, price: price, qty: 0))
        }
        return .success(PlannedTarget.split(qty, over: targets, lot: Quantity(raw: 1), coversAll: coversAll))
    }

    private static func summarised(_ plan: TradePlan) -> TradePlan {
        var plan = plan
        let targets = plan.targets.map { "\(NumberText.price($0.price)) × \($0.qty)" }
        plan.summary = "\(plan.side.rawValue) \(plan.qty) \(plan.symbol) at \(NumberText.price(plan.entryPrice)), "
            + "stop \(NumberText.price(plan.stopPrice)), risk \(NumberText.money(plan.riskAmount)) "
            + "(\(NumberText.percent(plan.riskPct)) of capital, sized by \(plan.sizedBy.rawValue)), "
            + "targets [\(targets.joined(separator: ", "))], leverage \(plan.leverage)x, "
            + "exposure \(NumberText.percent(plan.exposureAfter)), heat \(NumberText.percent(plan.heatAfter)) after"
        return plan
    }
}
