/// Vets and sizes a proposed spot trade against `RiskLimits`, in the spirit of seed 004's
/// RiskManager: refuse weak or contradicted signals, size from account value, and cap by
/// inventory exposure and by what the account actually holds.
public struct RiskAssessor: Sendable, Hashable, Codable {
    /// The limits applied.
    public var limits: RiskLimits

    /// Creates an assessor.
    public init(limits: RiskLimits = RiskLimits()) {
        self.limits = limits
    }

    /// Decides whether to trade `side` at `price` for an account holding `position`.
    ///
    /// Rules in order: price valid; signal confidence ≥ minConfidence; no analysis pointing
    /// the other way with confidence ≥ maxContradictionConfidence; then size as
    /// `OrderSizer` over capital = position.totalValue(mark: price) and cap — buys so that
    /// (base + qty) × price ≤ capital × maxInventoryExposurePct and cost plus fee allowance
    /// ≤ quote; spot sells by the base held; short sells so the short stays within the
    /// same exposure fraction.
    public func assess(
        side: Side, signalConfidence: Double, analysis: MarketAnalysis, price: Double,
        position: Position, allowShort: Bool
    ) -> RiskDecision {
        guard Indicators.isPrice(price) else {
            return .refused(price: price, limit: "price", "price must be positive and finite, got \(price)")
        }
        guard signalConfidence.isFinite, signalConfidence >= limits.minConfidence else {
            return .refused(price: price, limit: "minConfidence",
                            "signal confidence \(NumberText.fixed(signalConfidence, 2)) is below the minimum \(NumberText.fixed(limits.minConfidence, 2))")
        }
        let against: Direction = side == .buy ? .short : .long
        if analysis.direction == against, analysis.confidence >= limits.maxContradictionConfidence {
            return .refused(price: price, limit: "maxContradictionConfidence",
                            "analysis says \(against.rawValue) with confidence \(NumberText.fixed(analysis.confidence, 2)), "
                                + "at or above \(NumberText.fixed(limits.maxContradictionConfidence, 2)), against a \(side.rawValue)")
        }
        let capital = position.totalValue(mark: price)
        guard capital.isFinite, capital > 0 else {
            return .refused(price: price, limit: "capital",
                            "account value \(NumberText.money(capital)) at \(NumberText.price(price)) leaves no capital to size from")
        }
        let sizer = OrderSizer(orderSizePct: limits.orderSizePct, maxInventoryExposurePct: limits.maxInventoryExposurePct)
        let sizedQty = sizer.size(capitalQuote: capital, price: price)
        guard sizedQty > 0 else {
            return .refused(price: price, limit: "orderSizePct",
                            "order size is zero: orderSizePct \(limits.orderSizePct) and maxInventoryExposurePct "
                                + "\(limits.maxInventoryExposurePct) must be positive and finite")
        }
        let sized = RiskSizing(
            side: side, price: price, capital: capital, position: position, sizedQty: sizedQty, limits: limits)
        switch side {
        case .buy: return sized.buy()
        case .sell: return allowShort ? sized.shortableSell() : sized.spotSell()
        }
    }
}
