/// A rule of `TradePlanner`: the one that refused a plan, or the one that set its size.
/// Raw values are the `TradePlannerLimits` field names where there is one.
public enum PlanLimit: String, Sendable, Hashable, Codable, CaseIterable {
    /// A proposal or portfolio value is missing, non-finite or impossible.
    case input
    /// The limits themselves are out of range.
    case config
    /// Adding to a same-side position while pyramiding is off.
    case allowPyramiding
    /// Opening against a position in the same symbol while hedging is off.
    case allowHedging
    /// As many positions are open as allowed.
    case maxConcurrentPositions
    /// Sized by the risk budget, capital × riskPerTradePct.
    case riskPerTradePct
    /// Sized by the per-position cap, capital × maxPositionSizePct.
    case maxPositionSizePct
    /// Sized by, or refused for lack of, available cash.
    case cash
    /// Total notional would exceed capital × maxTotalExposurePct.
    case maxTotalExposurePct
    /// Portfolio heat would exceed maxPortfolioHeatPct.
    case maxPortfolioHeatPct
    /// Margin would exceed 100 % of capital.
    case marginUsage
    /// No valid stop could be placed.
    case stopLoss
    /// A take-profit target would land at or below zero.
    case takeProfit
    /// The signal's confidence is below the RiskManager's floor.
    case minConfidence
    /// No usable price to size at.
    case marketData
    /// A sell would open a short in an account that may not hold one.
    case allowShort
    /// The size rounds down to less than one lot.
    case lotSize
}

/// Why `TradePlanner` refused a proposal: the rule, and the numbers that broke it.
public struct TradeRejection: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The rule that refused.
    public var limit: PlanLimit
    /// The value measured against the rule, when it is a number (a fraction, a count).
    public var observed: Double?
    /// The most the rule allows, when it is a number.
    public var allowed: Double?
    /// The refusal in words, numbers included.
    public var message: String

    /// Creates a rejection.
    public init(limit: PlanLimit, observed: Double? = nil, allowed: Double? = nil, message: String) {
        self.limit = limit
        self.observed = observed
        self.allowed = allowed
        self.message = message
    }

    public var description: String { "\(limit.rawValue): \(message)" }
}

/// `TradePlanner`'s verdict on one proposal.
public enum TradePlanDecision: Sendable, Hashable, Codable {
    /// Go ahead with this plan.
    case approved(TradePlan)
    /// Do not trade, for this reason.
    case rejected(TradeRejection)

    /// The plan when approved.
    public var plan: TradePlan? {
        if case .approved(let plan) = self { return plan }
        return nil
    }

    /// The reason when rejected.
    public var rejection: TradeRejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}
