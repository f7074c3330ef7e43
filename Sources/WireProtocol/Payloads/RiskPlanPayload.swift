import WireFormat
import Trading

/// One scale-out target of an approved plan.
public struct PlanTargetPayload: MessagePayload, Hashable {
    /// Reward as a multiple of the stop distance.
    public var riskReward: Double
    /// Share of the quantity exited here.
    public var fraction: Double
    /// Target price, on the symbol's tick grid.
    public var price: WireDecimal
    /// Base units exited here.
    public var qty: WireDecimal

    enum CodingKeys: String, CodingKey { case riskReward = "risk_reward", fraction, price, qty }

    /// Creates a target.
    public init(riskReward: Double, fraction: Double, price: WireDecimal, qty: WireDecimal) {
        self.riskReward = riskReward
        self.fraction = fraction
        self.price = price
        self.qty = qty
    }

    public func validate() throws(ProtocolError) {
        try Check.positive(price, "payload.plan.targets.price")
        try Check.nonNegative(qty, "payload.plan.targets.qty")
    }
}

/// The RiskManager's plan for an approved trade: where the stop and targets are,
/// how much is at risk, and what the portfolio looks like with the position open. Fractions
/// are of capital.
public struct RiskPlanPayload: MessagePayload, Hashable {
    /// Protective stop, on the symbol's tick grid.
    public var stopPrice: WireDecimal
    public var targets: [PlanTargetPayload]
    public var leverage: Int
    /// qty × |entry − stop|, in quote.
    public var riskAmount: WireDecimal
    public var riskPct: Double
    /// The rule that set the size: `riskPerTradePct`, `maxPositionSizePct` or `cash`.
    public var sizedBy: String
    /// notional / leverage, in quote.
    public var margin: WireDecimal
    /// Account equity the fractions are of.
    public var capital: WireDecimal
    public var exposureAfter: Double
    public var heatAfter: Double
    public var marginUsageAfter: Double
    /// Heat and margin-usage warnings (by default above 10 % heat, 80 % and 90 % margin).
    public var warnings: [String]
    /// Positions whose stop was assumed because no plan for them is on record.
    public var assumedStops: [String]

    enum CodingKeys: String, CodingKey {
        case stopPrice = "stop_price", targets, leverage, riskAmount = "risk_amount", riskPct = "risk_pct"
        case sizedBy = "sized_by", margin, capital, exposureAfter = "exposure_after", heatAfter = "heat_after"
        case marginUsageAfter = "margin_usage_after", warnings, assumedStops = "assumed_stops"
    }

    /// The wire form of `plan`, made against `capital`.
    public init(_ plan: TradePlan, capital: Money, assumedStops: [String]) {
        stopPrice = plan.stopPrice.wire
        targets = plan.targets.map { PlanTargetPayload(riskReward: $0.riskReward, fraction: $0.fraction, price: $0.price.wire, qty: $0.qty.wire) }
        leverage = plan.leverage
        riskAmount = plan.riskAmount.wire
        riskPct = plan.riskPct
        sizedBy = plan.sizedBy.rawValue
        margin = plan.margin.wire
        self.capital = capital.wire
        exposureAfter = plan.exposureAfter
        heatAfter = plan.heatAfter
        marginUsageAfter = plan.marginUsageAfter
        warnings = plan.warnings.map(\.message)
        self.assumedStops = assumedStops
    }

    public func validate() throws(ProtocolError) {
        try Check.positive(stopPrice, "payload.plan.stop_price")
        try Check.nonNegative(riskAmount, "payload.plan.risk_amount")
        for target in targets { try target.validate() }
    }

    /// The targets as the trading library's values.
    public var plannedTargets: [PlannedTarget] {
        targets.map { PlannedTarget(riskReward: $0.riskReward, fraction: $0.fraction, price: Price(wire: $0.price), qty: Quantity(wire: $0.qty)) }
    }
}
