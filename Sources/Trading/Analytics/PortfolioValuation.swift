/// The portfolio's summary values at current marks, from
/// `PortfolioSnapshot.valuation(marks:realizedPnl:initialCapital:)`. Amounts in quote,
/// percentages as fractions of capital.
public struct PortfolioValuation: Sendable, Hashable, Codable {
    /// Account equity, as in the snapshot.
    public var capital: Double
    /// Quote available, as in the snapshot.
    public var cash: Double
    /// Positions open.
    public var openPositions: Int
    /// Σ qty × mark of the open positions: market value at risk of moving.
    public var exposure: Double
    /// exposure / capital.
    public var exposurePct: Double
    /// Σ side × (mark − entry) × qty of the open positions.
    public var unrealizedPnl: Double
    /// Profit already booked, as passed in.
    public var realizedPnl: Double
    /// unrealizedPnl + realizedPnl.
    public var totalPnl: Double
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
    /// Values the snapshot at `marks` (symbol → price). A position without a positive,
    /// finite mark is valued at its entry and listed in `unmarkedSymbols`, so one missing
    /// quote does not hide the rest of the book. Nil when capital is not positive and
    /// finite, `realizedPnl` is not finite, or a position is unusable.
    public func valuation(
        marks: [String: Double], realizedPnl: Double, initialCapital: Double? = nil
    ) -> PortfolioValuation? {
        guard capital.isFinite, capital > 0, realizedPnl.isFinite,
              positions.allSatisfy({ $0.problem == nil }) else { return nil }
        var exposure = 0.0
        var unrealized = 0.0
        var unmarked: [String] = []
        for position in positions {
            let mark: Double
            if let quoted = marks[position.symbol], Indicators.isPrice(quoted) {
                mark = quoted
            } else {
                mark = position.entryPrice
                if !unmarked.contains(position.symbol) { unmarked.append(position.symbol) }
            }
            exposure += position.qty * mark
            unrealized += position.side.sign * (mark - position.entryPrice) * position.qty
        }
        let total = unrealized + realizedPnl
        let returnPct = initialCapital.flatMap { $0.isFinite && $0 > 0 ? total / $0 : nil }
        return PortfolioValuation(
            capital: capital, cash: cash, openPositions: positions.count, exposure: exposure,
            exposurePct: exposure / capital, unrealizedPnl: unrealized, realizedPnl: realizedPnl, totalPnl: total,
            totalReturnPct: returnPct, portfolioHeat: portfolioHeat ?? 0, marginUsage: marginUsage ?? 0,
            unmarkedSymbols: unmarked)
    }
}
