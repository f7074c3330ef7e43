/// A margin account's figures as the venue reports them (`inventory.get`), exact.
public struct VenueMargin: Sendable, Hashable, Codable {
    /// Collateral plus unrealized PnL at the venue's marks.
    public var equity: Money
    /// Initial margin the venue already holds against positions and resting orders.
    public var marginUsed: Money
    /// The leverage the venue allows the account.
    public var maxLeverage: Int

    /// Creates the figures.
    public init(equity: Money, marginUsed: Money, maxLeverage: Int) {
        self.equity = equity
        self.marginUsed = marginUsed
        self.maxLeverage = maxLeverage
    }

    /// The `marginUsage` refusal of a new position of `notional` in `symbol`, or nil when it
    /// fits: margin used + notional / max leverage (rounded up, as the venue holds at least
    /// that) must not pass equity. Decided exactly: a position whose margin brings usage to
    /// exactly 100 % fits, one 10⁻⁸ more does not.
    public func refusal(notional: Money, symbol: String) -> TradeRejection? {
        let added = notional.divided(by: maxLeverage, .up)
        let total = try? marginUsed.adding(added)
        if let total, equity.isPositive, total <= equity { return nil }
        let usage = total?.fraction(of: equity) ?? .infinity
        return TradeRejection(
            limit: .marginUsage, observed: usage, allowed: 1,
            message: "margin at the venue would be \(NumberText.percent(usage)) of equity \(equity.text(places: 2)) "
                + "(used \(marginUsed.text(places: 2)) + new \(added.text(places: 2)) = \(notional.text(places: 2)) \(symbol) "
                + "at the venue's \(max(1, maxLeverage))x), above 100%")
    }
}
