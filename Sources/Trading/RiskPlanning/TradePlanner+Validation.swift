/// The checks `TradePlanner` runs before sizing: are the limits, the proposal and the
/// portfolio usable at all, and can a stop be placed.
extension TradePlanner {
    /// What is wrong with the limits, in words, or nil when they can be used.
    public var configurationIssue: String? { configurationProblem()?.message }

    func configurationProblem() -> TradeRejection? {
        let l = limits
        let fractions = [l.maxPositionSizePct, l.maxTotalExposurePct, l.riskPerTradePct, l.maxPortfolioHeatPct,
                         l.portfolioHeatWarningPct, l.marginWarningPct, l.marginCriticalPct]
        guard fractions.allSatisfy({ ExactFraction($0).map { $0.raw > 0 } ?? false }), l.riskPerTradePct <= 1 else {
            return configRejection("fractions must be finite and at least 0.00000001, risk per trade at most 1: maxPositionSizePct "
                + "\(l.maxPositionSizePct), maxTotalExposurePct \(l.maxTotalExposurePct), riskPerTradePct \(l.riskPerTradePct), "
                + "maxPortfolioHeatPct \(l.maxPortfolioHeatPct), warnings \(l.portfolioHeatWarningPct) / "
                + "\(l.marginWarningPct) / \(l.marginCriticalPct)")
        }
        guard l.maxConcurrentPositions >= 1, l.maxLeverage >= 1, l.defaultLeverage >= 1, l.leverageByConfidence.isValid else {
            return configRejection("maxConcurrentPositions \(l.maxConcurrentPositions), maxLeverage \(l.maxLeverage) and "
                + "defaultLeverage \(l.defaultLeverage) must be at least 1, and confidence bands must satisfy "
                + "0 < medium ≤ high ≤ 1 with leverage ≥ 1")
        }
        let ratios = l.takeProfits.map(\.riskReward)
        let ascending = zip(ratios, ratios.dropFirst()).allSatisfy { $0 < $1 }
        let shares = l.takeProfits.map { ExactFraction($0.fraction)?.raw ?? 0 }
        guard l.takeProfits.allSatisfy({ ExactFraction($0.riskReward).map { $0.raw > 0 } ?? false }), !shares.contains(0),
              ascending, shares.reduce(0, +) <= ExactFraction.one.raw else {
            return configRejection("take-profit levels need positive, ascending risk-reward ratios and positive fractions "
                + "adding up to at most 1, got \(l.takeProfits.map { "\($0.riskReward)R × \($0.fraction)" })")
        }
        return nil
    }

    func inputProblem(_ proposal: TradeProposal, _ portfolio: PortfolioSnapshot) -> TradeRejection? {
        guard proposal.entryPrice.isPositive else {
            return inputRejection("entry price must be positive, got \(proposal.entryPrice)")
        }
        guard proposal.lot.isPositive, proposal.tick.isPositive else {
            return inputRejection("lot and tick must be positive, got \(proposal.lot) and \(proposal.tick)")
        }
        if let confidence = proposal.confidence, !(confidence.isFinite && (0...1).contains(confidence)) {
            return inputRejection("confidence must be in 0...1, got \(confidence)")
        }
        guard portfolio.capital.isPositive else {
            return inputRejection("capital must be positive, got \(portfolio.capital)")
        }
        if let problem = portfolio.positions.lazy.compactMap(\.problem).first { return inputRejection(problem) }
        return nil
    }

    func stopProblem(_ proposal: TradeProposal) -> TradeRejection {
        let entry = NumberText.price(proposal.entryPrice.double)
        switch limits.stopRule {
        case .atr(let multiplier):
            guard let atr = proposal.atr else {
                return TradeRejection(limit: .stopLoss, message: "an ATR stop needs the ATR, and the proposal has none")
            }
            return TradeRejection(
                limit: .stopLoss, observed: atr,
                message: "cannot place a stop \(NumberText.fixed(multiplier, 2)) × ATR \(NumberText.price(atr)) "
                    + "from entry \(entry): the distance must be positive and finite and the stop above zero")
        case .percent(let fraction):
            return TradeRejection(
                limit: .stopLoss, observed: fraction,
                message: "cannot place a stop \(NumberText.percent(fraction)) from entry \(entry): the fraction must be in (0, 1)")
        }
    }

    private func configRejection(_ message: String) -> TradeRejection {
        TradeRejection(limit: .config, message: "invalid planner limits: " + message)
    }

    private func inputRejection(_ message: String) -> TradeRejection {
        TradeRejection(limit: .input, message: message)
    }
}
