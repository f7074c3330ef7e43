/// One scale-out target of an approved plan.
public struct PlannedTarget: Sendable, Hashable, Codable {
    /// Reward as a multiple of the stop distance.
    public var riskReward: Double
    /// Share of the planned quantity exited here.
    public var fraction: Double
    /// Target price: entry ± stop distance × riskReward.
    public var price: Double
    /// Base units exited here.
    public var qty: Double

    /// Creates a target.
    public init(riskReward: Double, fraction: Double, price: Double, qty: Double) {
        self.riskReward = riskReward
        self.fraction = fraction
        self.price = price
        self.qty = qty
    }
}

/// A condition worth flagging on an approved plan without refusing it.
public struct PlanWarning: Sendable, Hashable, Codable {
    /// What is being flagged.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Portfolio heat above `portfolioHeatWarningPct`.
        case portfolioHeat = "portfolio_heat"
        /// Margin usage above `marginWarningPct`.
        case marginUsage = "margin_usage"
        /// Margin usage above `marginCriticalPct`.
        case marginUsageCritical = "margin_usage_critical"
    }

    /// What is being flagged.
    public var kind: Kind
    /// The measured fraction.
    public var value: Double
    /// The threshold it passed.
    public var threshold: Double
    /// The same in words.
    public var message: String

    /// Creates a warning.
    public init(kind: Kind, value: Double, threshold: Double, message: String) {
        self.kind = kind
        self.value = value
        self.threshold = threshold
        self.message = message
    }
}

/// An approved new position, fully specified: size, stop, targets, leverage, and what the
/// portfolio looks like once it is open. Fractions are of capital.
public struct TradePlan: Sendable, Hashable, Codable {
    /// Symbol to trade.
    public var symbol: String
    /// `.buy` for a long, `.sell` for a short.
    public var side: Side
    /// Entry price the plan was sized at.
    public var entryPrice: Double
    /// Protective stop.
    public var stopPrice: Double
    /// Base units to trade.
    public var qty: Double
    /// qty × entry price, in quote.
    public var notional: Double
    /// qty × |entry − stop|: what is lost at the stop, in quote.
    public var riskAmount: Double
    /// riskAmount / capital.
    public var riskPct: Double
    /// Which rule set the size: riskPerTradePct, maxPositionSizePct or cash.
    public var sizedBy: PlanLimit
    /// Recommended leverage.
    public var leverage: Int
    /// notional / leverage, in quote.
    public var margin: Double
    /// Scale-out targets, nearest first.
    public var targets: [PlannedTarget]
    /// Σ notional / capital with this position open.
    public var exposureAfter: Double
    /// Σ open risk / capital with this position open.
    public var heatAfter: Double
    /// Σ margin / capital with this position open.
    public var marginUsageAfter: Double
    /// Conditions flagged but not refused.
    public var warnings: [PlanWarning]
    /// The plan in words, numbers included.
    public var summary: String

    /// Creates a plan.
    public init(
        symbol: String, side: Side, entryPrice: Double, stopPrice: Double, qty: Double, notional: Double,
        riskAmount: Double, riskPct: Double, sizedBy: PlanLimit, leverage: Int, margin: Double,
        targets: [PlannedTarget], exposureAfter: Double, heatAfter: Double, marginUsageAfter: Double,
        warnings: [PlanWarning], summary: String
    ) {
        self.symbol = symbol
        self.side = side
        self.entryPrice = entryPrice
        self.stopPrice = stopPrice
        self.qty = qty
        self.notional = notional
        self.riskAmount = riskAmount
        self.riskPct = riskPct
        self.sizedBy = sizedBy
        self.leverage = leverage
        self.margin = margin
        self.targets = targets
        self.exposureAfter = exposureAfter
        self.heatAfter = heatAfter
        self.marginUsageAfter = marginUsageAfter
        self.warnings = warnings
        self.summary = summary
    }
}

extension TradePlan {
    /// The same plan for `qty` base units instead (a lot-rounded or partly filled size):
    /// notional, risk, margin and every target's quantity scale with it, and when the
    /// targets covered the whole plan the last one takes exactly what the others leave.
    /// Exposure, heat and margin usage after are left as planned.
    public func scaled(toQty qty: Double) -> TradePlan {
        guard self.qty > 0, qty.isFinite, qty >= 0 else { return self }
        let factor = qty / self.qty
        var plan = self
        plan.qty = qty
        plan.notional = notional * factor
        plan.riskAmount = riskAmount * factor
        plan.riskPct = riskPct * factor
        plan.margin = margin * factor
        let coversAll = abs(targets.reduce(0) { $0 + $1.qty } - self.qty) <= self.qty * 1e-9
        var assigned = 0.0
        plan.targets = targets.enumerated().map { index, target in
            var scaled = target
            scaled.qty = coversAll && index == targets.count - 1 ? max(0, qty - assigned) : target.qty * factor
            assigned += scaled.qty
            return scaled
        }
        return plan
    }
}
