/// One scale-out target of an approved plan.
public struct PlannedTarget: Sendable, Hashable, Codable {
    /// Reward as a multiple of the stop distance.
    public var riskReward: Double
    /// Share of the planned quantity exited here.
    public var fraction: Double
    /// Target price: entry ± stop distance × riskReward, on the tick grid.
    public var price: Price
    /// Base units exited here.
    public var qty: Quantity

    /// Creates a target.
    public init(riskReward: Double, fraction: Double, price: Price, qty: Quantity) {
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
    public var entryPrice: Price
    /// Protective stop, on the tick grid.
    public var stopPrice: Price
    /// Base units to trade.
    public var qty: Quantity
    /// qty × entry price, in quote, rounded up.
    public var notional: Money
    /// qty × |entry − stop|: what is lost at the stop, in quote, rounded up.
    public var riskAmount: Money
    /// riskAmount / capital, a statistic.
    public var riskPct: Double
    /// Which rule set the size: riskPerTradePct, maxPositionSizePct or cash.
    public var sizedBy: PlanLimit
    /// Recommended leverage.
    public var leverage: Int
    /// notional / leverage, in quote, rounded up.
    public var margin: Money
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
        symbol: String, side: Side, entryPrice: Price, stopPrice: Price, qty: Quantity, notional: Money,
        riskAmount: Money, riskPct: Double, sizedBy: PlanLimit, leverage: Int, margin: Money,
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

extension PlannedTarget {
    /// `targets` with quantities taken from `qty` by their fractions, each rounded down to
    /// whole `lot`s; with `coversAll` the last takes exactly what the others leave.
    static func split(_ qty: Quantity, over targets: [PlannedTarget], lot: Quantity, coversAll: Bool) -> [PlannedTarget] {
        var assigned = Quantity.zero
        return targets.enumerated().map { index, target in
            var part = target
            if coversAll, index == targets.count - 1 {
                part.qty = qty - assigned
            } else {
                // qty × fraction exactly, then the one rounding: down, to whole lots.
                let share = ExactFraction(target.fraction).flatMap { try? $0.of(qty, .down) } ?? .zero
                part.qty = min(share.roundedDown(toMultipleOf: lot), qty - assigned)
            }
            assigned += part.qty
            return part
        }
    }
}
