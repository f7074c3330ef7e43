/// The portfolio-level rules: pyramiding, hedging, concurrent positions, total
/// exposure, portfolio heat and margin, plus the warnings an approved plan carries.
///
/// Each limit on money is decided exactly: total exposure ≤ capital × maxTotalExposurePct,
/// open risk ≤ capital × maxPortfolioHeatPct and margin ≤ capital are integer comparisons
/// (`ExactFraction.admits`), so a plan exactly at a limit is approved and one 10⁻⁸ past it
/// refused. The fractions in the messages and warnings are statistics.
extension TradePlanner {
    func positionRuleProblem(_ proposal: TradeProposal, _ portfolio: PortfolioSnapshot) -> TradeRejection? {
        let held = portfolio.positions.filter { $0.symbol == proposal.symbol }
        let sameSide = held.filter { $0.side == proposal.side }
        let wanted = proposal.side == .buy ? "long" : "short"
        if let existing = sameSide.first, !limits.allowPyramiding {
            return TradeRejection(
                limit: .allowPyramiding, observed: existing.qty.double,
                message: "already \(wanted) \(existing.qty) \(proposal.symbol) from "
                    + "\(NumberText.price(existing.entryPrice.double)); adding to it needs allowPyramiding")
        }
        if let existing = held.first(where: { $0.side != proposal.side }), !limits.allowHedging {
            return TradeRejection(
                limit: .allowHedging, observed: existing.qty.double,
                message: "already \(existing.side == .buy ? "long" : "short") \(existing.qty) "
                    + "\(proposal.symbol); opening a \(wanted) against it needs allowHedging")
        }
        // Adding to a held position does not open another one, so it is not counted.
        let open = portfolio.positions.count
        if sameSide.isEmpty, open >= limits.maxConcurrentPositions {
            return TradeRejection(
                limit: .maxConcurrentPositions, observed: Double(open), allowed: Double(limits.maxConcurrentPositions),
                message: "\(open) positions open, at the maximum of \(limits.maxConcurrentPositions)")
        }
        return nil
    }

    /// The limit the portfolio would break with `new` open (`after`: the sums with it), or nil.
    func portfolioLimitProblem(before: PortfolioSnapshot, after: PortfolioSnapshot.Totals,
                               new: OpenTrade) throws(FixedPointError) -> TradeRejection? {
        let capital = before.capital
        guard let exposureLimit = ExactFraction(limits.maxTotalExposurePct), let heatLimit = ExactFraction(limits.maxPortfolioHeatPct)
        else { throw FixedPointError("exposure and heat limits \(limits.maxTotalExposurePct), \(limits.maxPortfolioHeatPct) are out of range") }
        let exposure = after.exposure
        if exposureLimit.isExceeded(by: exposure, of: capital) {
            let share = exposure.fraction(of: capital) ?? .infinity
            return TradeRejection(
                limit: .maxTotalExposurePct, observed: share, allowed: limits.maxTotalExposurePct,
                message: "total exposure would be \(NumberText.percent(share)) of capital \(capital.text(places: 2)) "
                    + "(open \(try before.totalExposure.text(places: 2)) + new \(try new.notional.text(places: 2)) = "
                    + "\(exposure.text(places: 2))), above maxTotalExposurePct \(NumberText.percent(limits.maxTotalExposurePct))")
        }
        let risk = after.openRisk
        if heatLimit.isExceeded(by: risk, of: capital) {
            let heat = risk.fraction(of: capital) ?? .infinity
            return TradeRejection(
                limit: .maxPortfolioHeatPct, observed: heat, allowed: limits.maxPortfolioHeatPct,
                message: "portfolio heat would be \(NumberText.percent(heat)) (open risk \(try before.totalOpenRisk.text(places: 2)) "
                    + "+ new \(try new.openRisk.text(places: 2)) = \(risk.text(places: 2)) of capital \(capital.text(places: 2))), "
                    + "above maxPortfolioHeatPct \(NumberText.percent(limits.maxPortfolioHeatPct))")
        }
        let margin = after.margin
        if margin > capital {
            let usage = margin.fraction(of: capital) ?? .infinity
            return TradeRejection(
                limit: .marginUsage, observed: usage, allowed: 1,
                message: "margin would be \(NumberText.percent(usage)) of capital \(capital.text(places: 2)) (posted "
                    + "\(try before.totalMargin.text(places: 2)) + new \(try new.margin.text(places: 2)) at \(new.leverage)x = "
                    + "\(margin.text(places: 2))), above 100.00%")
        }
        return nil
    }

    /// The warnings of a portfolio whose sums are `after`, with equity `capital`.
    func warnings(after: PortfolioSnapshot.Totals, of capital: Money) -> [PlanWarning] {
        var warnings: [PlanWarning] = []
        if let heat = after.openRisk.fraction(of: capital), heat > limits.portfolioHeatWarningPct {
            warnings.append(PlanWarning(
                kind: .portfolioHeat, value: heat, threshold: limits.portfolioHeatWarningPct,
                message: "portfolio heat \(NumberText.percent(heat)) above \(NumberText.percent(limits.portfolioHeatWarningPct))"))
        }
        if let margin = after.margin.fraction(of: capital) {
            let critical = margin > limits.marginCriticalPct
            if critical || margin > limits.marginWarningPct {
                let threshold = critical ? limits.marginCriticalPct : limits.marginWarningPct
                warnings.append(PlanWarning(
                    kind: critical ? .marginUsageCritical : .marginUsage, value: margin, threshold: threshold,
                    message: "margin usage \(NumberText.percent(margin)) above \(NumberText.percent(threshold))"
                        + (critical ? " (critical)" : "")))
            }
        }
        return warnings
    }
}
