/// A margin account's figures as the venue reports them (`inventory.get`), in the
/// RiskManager's floating-point sizing model.
public struct VenueMargin: Sendable, Hashable, Codable {
    /// Collateral plus unrealized PnL at the venue's marks.
    public var equity: Double
    /// Initial margin the venue already holds against positions and resting orders.
    public var marginUsed: Double
    /// The leverage the venue allows the account.
    public var maxLeverage: Int

    /// Creates the figures.
    public init(equity: Double, marginUsed: Double, maxLeverage: Int) {
        self.equity = equity
        self.marginUsed = marginUsed
        self.maxLeverage = maxLeverage
    }

    /// The `marginUsage` refusal of a new position of `notional` in `symbol`, or nil when it
    /// fits: usage after = (margin used + notional / max leverage) / equity must not pass 1.
    public func refusal(notional: Double, symbol: String) -> TradeRejection? {
        let added = notional / Double(max(1, maxLeverage))
        let usage = equity > 0 ? (marginUsed + added) / equity : .infinity
        guard usage > 1 else { return nil }
        return TradeRejection(
            limit: .marginUsage, observed: usage, allowed: 1,
            message: "margin at the venue would be \(NumberText.percent(usage)) of equity \(NumberText.money(equity)) "
                + "(used \(NumberText.money(marginUsed)) + new \(NumberText.money(added)) = \(NumberText.money(notional)) \(symbol) "
                + "at the venue's \(maxLeverage)x), above 100%")
    }
}
