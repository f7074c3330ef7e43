/// The portfolio-level rules: pyramiding, hedging, concurrent positions, total
/// exposure, portfolio heat and margin, plus the warnings an approved plan carries.
extension TradePlanner {
    /// Slack on "above the limit" so a trade that lands exactly on it is not refused by a
    /// last-bit rounding difference.
    private static let slack = 1e-12

    func positionRuleProblem(_ proposal: TradeProposal, _ portfolio: PortfolioSnapshot) -> TradeRejection? {
        let held = portfolio.positions.filter { $0.symbol == proposal.symbol }
        let sameSide = held.filter { $0.side == proposal.side }
        let wanted = proposal.side == .buy ? "long" : "short"
        if let existing = sameSide.first, !limits.allowPyramiding {
            return TradeRejection(
                limit: .allowPyramiding, observed: existing.qty,
                message: "already \(wanted) \(NumberText.units(existing.qty)) \(proposal.symbol) from "
                    + "\(NumberText.price(existing.entryPrice)); adding to it needs allowPyramiding")
        }
        if let existing = held.first(where: { $0.side != proposal.side }), !limits.allowHedging {
            return TradeRejection(
                limit: .allowHedging, observed: existing.qty,
                message: "already \(existing.side == .buy ? "long" : "short") \(NumberText.units(existing.qty)) "
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

    func portfolioLimitProblem(before: PortfolioSnapshot, after: PortfolioSnapshot, new: OpenTrade) -> TradeRejection? {
        let capital = NumberText.money(before.capital)
        let exposure = after.exposurePct ?? .infinity
        if exposure > limits.maxTotalExposurePct + Self.slack {
            return TradeRejection(
                limit: .maxTotalExposurePct, observed: exposure, allowed: limits.maxTotalExposurePct,
                message: "total exposure would be \(NumberText.percent(exposure)) of capital \(capital) "
                    + "(open \(NumberText.money(before.totalExposure)) + new \(NumberText.money(new.notional)) = "
                    + "\(NumberText.money(after.totalExposure))), above maxTotalExposurePct \(NumberText.percent(limits.maxTotalExposurePct))")
        }
        let heat = after.portfolioHeat ?? .infinity
        if heat > limits.maxPortfolioHeatPct + Self.slack {
            return TradeRejection(
                limit: .maxPortfolioHeatPct, observed: heat, allowed: limits.maxPortfolioHeatPct,
                message: "portfolio heat would be \(NumberText.percent(heat)) (open risk \(NumberText.money(before.totalOpenRisk)) "
                    + "+ new \(NumberText.money(new.openRisk)) = \(NumberText.money(after.totalOpenRisk)) of capital \(capital)), "
                    + "above maxPortfolioHeatPct \(NumberText.percent(limits.maxPortfolioHeatPct))")
        }
        let margin = after.marginUsage ?? .infinity
        if margin > 1 + Self.slack {
            return TradeRejection(
                limit: .marginUsage, observed: margin, allowed: 1,
                message: "margin would be \(NumberText.percent(margin)) of capital \(capital) (posted "
                    + "\(NumberText.money(before.totalMargin)) + new \(NumberText.money(new.margin)) at \(new.leverage)x = "
                    + "\(NumberText.money(after.totalMargin))), above 100.00%")
        }
        return nil
    }

    func warnings(after: PortfolioSnapshot) -> [PlanWarning] {
        var warnings: [PlanWarning] = []
        if let heat = after.portfolioHeat, heat > limits.portfolioHeatWarningPct {
            warnings.append(PlanWarning(
                kind: .portfolioHeat, value: heat, threshold: limits.portfolioHeatWarningPct,
                message: "portfolio heat \(NumberText.percent(heat)) above \(NumberText.percent(limits.portfolioHeatWarningPct))"))
        }
        if let margin = after.marginUsage {
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
