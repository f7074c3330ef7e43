/// The portfolio's summary values at current marks, from
/// `PortfolioSnapshot.valuation(marks:realizedPnl:initialCapital:)`. Amounts in quote,
/// percentages as fractions of capital. The amounts are exact sums, as the analytics ledger
/// stores them.
public struct PortfolioValuation: Sendable, Hashable, Codable {
    /// Account equity, as in the snapshot.
    public var capital: Money
    /// Quote available, as in the snapshot.
    public var cash: Money
    /// Positions open.
    public var openPositions: Int
    /// Σ qty × mark of the open positions: market value at risk of moving.
    public var exposure: Money
    /// exposure / capital.
    public var exposurePct: Double
    /// Σ side × (mark − entry) × qty of the open positions.
    public var unrealizedPnl: Money
    /// Profit already booked, as passed in.
    public var realizedPnl: Money
    /// unrealizedPnl + realizedPnl.
    public var totalPnl: Money
    /// totalPnl / initialCapital; nil when no positive initial capital was given.
    public var totalReturnPct: Double?
    /// Σ open risk to the stops / capital.
    public var portfolioHeat: Double
    /// Σ margin / capital.
    public var marginUsage: Double
    /// Symbols with no usable mark, valued at their entry price (so no unrealized PnL).
    public var unmarkedSymbols: [String]
}

extension PortfolioSnapshot {
    /// Values the snapshot at `marks` (symbol → price). A position without a positive mark
    /// is valued at its entry and listed in `unmarkedSymbols`, so one missing quote does not
    /// hide the rest of the book. Exposure (qty × mark) and unrealized PnL (side × (mark −
    /// entry) × qty) are summed exactly, each product rounded to the nearest 10⁻⁸. Nil when
    /// capital is not positive, a position is unusable or a sum is out of range.
    public func valuation(
        marks: [String: Price], realizedPnl: Money, initialCapital: Money? = nil
    ) -> PortfolioValuation? {
        guard capital.isPositive, positions.allSatisfy({ $0.problem == nil }) else { return nil }
        var exposure = Money.zero
        var unrealized = Money.zero
        var unmarked: [String] = []
        do {
            for position in positions {
                let mark: Price
                if let quoted = marks[position.symbol], quoted.isPositive {
                    mark = quoted
                } else {
                    mark = position.entryPrice
                    if !unmarked.contains(position.symbol) { unmarked.append(position.symbol) }
                }
                exposure = try exposure.adding(try mark.notional(position.qty))
                let move = position.side == .buy ? try mark.subtracting(position.entryPrice) : try position.entryPrice.subtracting(mark)
                unrealized = try unrealized.adding(try move.notional(position.qty))
            }
            let total = try unrealized.adding(realizedPnl)
            let returnPct = initialCapital.flatMap { total.fraction(of: $0) }
            return PortfolioValuation(
                capital: capital, cash: cash, openPositions: positions.count, exposure: exposure,
                exposurePct: exposure.fraction(of: capital) ?? 0, unrealizedPnl: unrealized, realizedPnl: realizedPnl,
                totalPnl: total, totalReturnPct: returnPct, portfolioHeat: portfolioHeat ?? 0, marginUsage: marginUsage ?? 0,
                unmarkedSymbols: unmarked)
        } catch {
            return nil
        }
    }
}
