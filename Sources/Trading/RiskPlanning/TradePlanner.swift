/// Sizes and vets a new position as a risk and portfolio manager would: fixed-fractional
/// risk to a stop, capped per position and by cash, with scale-out targets,
/// confidence-based leverage and portfolio-level limits.
///
/// Rules in order: limits valid; proposal and portfolio valid; no pyramiding or hedging
/// unless allowed; fewer than maxConcurrentPositions open (adding to a held position
/// opens none); a stop can be placed on the tick grid; then
/// qty = min(capital × riskPerTradePct / |entry − stop|, capital × maxPositionSizePct / entry,
/// cash / entry), rounded down to whole lots; targets inside price; total exposure,
/// portfolio heat and margin within their limits after the trade.
///
/// The arithmetic is exact (`Money`, `Price`, `Quantity`, fractions as `ExactFraction`):
/// each budget (capital × fraction) rounds down to 10⁻⁸, each size (budget ÷ price) rounds
/// down to 10⁻⁸ and then to whole lots, so the position never exceeds a limit; exposure,
/// risk and margin round up, so they never count for less; every accept/refuse on money is
/// an exact comparison, so a plan exactly at a limit passes and one 10⁻⁸ past it does not.
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
        do {
            return try sized(proposal, portfolio)
        } catch {
            return .rejected(TradeRejection(limit: .input, message: "\(proposal.symbol) cannot be sized: \(error)"))
        }
    }

    private func sized(_ proposal: TradeProposal, _ portfolio: PortfolioSnapshot) throws(FixedPointError) -> TradePlanDecision {
        let entry = proposal.entryPrice
        guard let stop = limits.stopRule.stopPrice(side: proposal.side, entry: entry, atr: proposal.atr, tick: proposal.tick)
        else { return .rejected(stopProblem(proposal)) }
        let capital = portfolio.capital
        let stopDistance = try entry.subtracting(stop).magnitude
        let fractions = try exactFractions()
        // Budgets round down, sizes round down: qty × price never exceeds the budget.
        let byRisk = try fractions.risk.of(capital, .down).units(at: stopDistance, .down)
        let bySize = try fractions.size.of(capital, .down).units(at: entry, .down)
        let byCash = try max(portfolio.cash, .zero).units(at: entry, .down)
        let sizedBy: PlanLimit = byRisk <= min(bySize, byCash) ? .riskPerTradePct : bySize <= byCash ? .maxPositionSizePct : .cash
        guard byCash.isPositive else {
            return .rejected(TradeRejection(limit: .cash, observed: portfolio.cash.double, allowed: nil,
                                            message: "no cash to open with: \(portfolio.cash.text(places: 2)) available"))
        }
        let model = min(byRisk, bySize, byCash)
        let qty = model.roundedDown(toMultipleOf: proposal.lot)
        guard qty.isPositive else {
            return .rejected(TradeRejection(
                limit: .lotSize, observed: model.double, allowed: proposal.lot.double,
                message: "the planned size \(model) \(proposal.symbol) (sized by \(sizedBy.rawValue)) is below one lot of \(proposal.lot)"))
        }
        let targets: [PlannedTarget]
        switch try scaleOutTargets(side: proposal.side, entry: entry, stop: stop, qty: qty, lot: proposal.lot, tick: proposal.tick) {
        case .success(let planned): targets = planned
        case .failure(let rejection): return .rejected(rejection)
        }
        let leverage = min(proposal.confidence.flatMap(limits.leverageByConfidence.leverage) ?? limits.defaultLeverage,
                           limits.maxLeverage)
        let opened = OpenTrade(symbol: proposal.symbol, side: proposal.side, qty: qty, entryPrice: entry,
                               stopPrice: stop, leverage: leverage)
        let after = PortfolioSnapshot(capital: capital, cash: portfolio.cash, positions: portfolio.positions + [opened])
        let totals = try after.totals
        if let rejection = try portfolioLimitProblem(before: portfolio, after: totals, new: opened) { return .rejected(rejection) }
        let risk = try opened.openRisk
        let plan = TradePlan(
            symbol: proposal.symbol, side: proposal.side, entryPrice: entry, stopPrice: stop, qty: qty,
            notional: try opened.notional, riskAmount: risk, riskPct: risk.fraction(of: capital) ?? 0, sizedBy: sizedBy,
            leverage: leverage, margin: try opened.margin, targets: targets, exposureAfter: totals.exposure.fraction(of: capital) ?? 0,
            heatAfter: totals.openRisk.fraction(of: capital) ?? 0, marginUsageAfter: totals.margin.fraction(of: capital) ?? 0,
            warnings: warnings(after: totals, of: capital), summary: "")
        return .approved(Self.summarised(plan))
    }

    /// The scale-out targets: each level at entry ± |entry − stop| × riskReward (the
    /// distance rounded up to 10⁻⁸, the price then moved onto the tick grid away from entry,
    /// so a target never asks for less than its multiple of the risk), exiting qty × fraction
    /// rounded down to whole lots. When the fractions add up to exactly one the last target
    /// takes exactly what is left, so the parts sum to qty.
    func scaleOutTargets(side: Side, entry: Price, stop: Price, qty: Quantity, lot: Quantity,
                         tick: Price) throws(FixedPointError) -> Result<[PlannedTarget], TradeRejection> {
        let distance = try entry.subtracting(stop).magnitude
        var fractionTotal: Int64 = 0
        var targets: [PlannedTarget] = []
        for level in limits.takeProfits {
            guard let multiple = ExactFraction(level.riskReward), let share = ExactFraction(level.fraction) else {
                throw FixedPointError("take-profit \(level.riskReward)R × \(level.fraction) is out of range")
            }
            fractionTotal += share.raw
            let reward = try multiple.of(distance, .up)
            let away = side == .buy ? try entry.adding(reward) : try entry.subtracting(reward)
            let price = side == .buy ? away.roundedUp(toMultipleOf: tick) : away.roundedDown(toMultipleOf: tick)
            guard price.isPositive else {
                return .failure(TradeRejection(
                    limit: .takeProfit, observed: price.double, allowed: nil,
                    message: "target \(NumberText.fixed(level.riskReward, 2))R of a \(side == .buy ? "long" : "short") "
                        + "from \(NumberText.price(entry.double)) with stop \(NumberText.price(stop.double)) "
                        + "would be at \(NumberText.price(away.double))"))
            }
            targets.append(PlannedTarget(riskReward: level.riskReward, fraction: level.fraction, price: price, qty: 0))
        }
        return .success(PlannedTarget.split(qty, over: targets, lot: lot, coversAll: fractionTotal == ExactFraction.one.raw))
    }

    /// The sizing fractions of the limits, exact; `configurationProblem` has checked them.
    private func exactFractions() throws(FixedPointError) -> (risk: ExactFraction, size: ExactFraction) {
        guard let risk = ExactFraction(limits.riskPerTradePct), let size = ExactFraction(limits.maxPositionSizePct) else {
            throw FixedPointError("risk and size fractions \(limits.riskPerTradePct), \(limits.maxPositionSizePct) are out of range")
        }
        return (risk, size)
    }

    private static func summarised(_ plan: TradePlan) -> TradePlan {
        var plan = plan
        // Written as bytes into one buffer (`ComposedText`), made a string once.
        var text: ComposedText = """
            \(plan.side.rawValue) \(plan.qty) \(plan.symbol) at \(price: plan.entryPrice.double), \
            stop \(price: plan.stopPrice.double), risk \(plan.riskAmount, places: 2) \
            (\(percent: plan.riskPct) of capital, sized by \(plan.sizedBy.rawValue)), targets [
            """
        for (index, target) in plan.targets.enumerated() {
            text.appendLiteral(index == 0 ? "" : ", ")
            text.appendInterpolation(price: target.price.double)
            text.appendLiteral(" × ")
            text.appendInterpolation(target.qty)
        }
        text.append("], leverage \(plan.leverage)x, exposure \(percent: plan.exposureAfter), heat \(percent: plan.heatAfter) after")
        plan.summary = text.string
        return plan
    }
}
