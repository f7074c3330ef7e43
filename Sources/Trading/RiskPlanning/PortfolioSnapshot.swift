/// One open position as seen by `TradePlanner`: enough to know its exposure, its risk to
/// the stop and the margin it ties up. `side` `.buy` is a long, `.sell` a short.
public struct OpenTrade: Sendable, Hashable, Codable {
    /// Symbol held, e.g. "BTC-USD".
    public var symbol: String
    /// `.buy` for a long, `.sell` for a short.
    public var side: Side
    /// Base units held, positive.
    public var qty: Double
    /// Average entry price, quote per base unit.
    public var entryPrice: Double
    /// Current protective stop, quote per base unit.
    public var stopPrice: Double
    /// Leverage the position was opened with; its margin is notional / leverage.
    public var leverage: Int

    /// Creates an open position.
    public init(symbol: String, side: Side, qty: Double, entryPrice: Double, stopPrice: Double, leverage: Int = 1) {
        self.symbol = symbol
        self.side = side
        self.qty = qty
        self.entryPrice = entryPrice
        self.stopPrice = stopPrice
        self.leverage = leverage
    }

    /// qty × entry price, in quote: the position's notional value.
    public var notional: Double { qty * entryPrice }

    /// What is lost if the stop is hit: qty × the stop's distance on the losing side of
    /// entry. Zero once the stop has been moved to break-even or beyond, since such a
    /// stop locks in profit rather than risking capital.
    public var openRisk: Double { max(0, side.sign * (entryPrice - stopPrice)) * qty }

    /// notional / leverage, in quote.
    public var margin: Double { notional / Double(max(leverage, 1)) }

    /// Why the record cannot be used, or nil when it can.
    var problem: String? {
        guard qty.isFinite, qty > 0 else { return "position \(symbol) has quantity \(qty), not positive and finite" }
        guard Indicators.isPrice(entryPrice), Indicators.isPrice(stopPrice) else {
            return "position \(symbol) has entry \(entryPrice) and stop \(stopPrice); both must be positive and finite"
        }
        guard leverage >= 1 else { return "position \(symbol) has leverage \(leverage), below 1" }
        return nil
    }
}

/// The account as `TradePlanner` sees it before a new trade: capital, cash and the open
/// positions.
public struct PortfolioSnapshot: Sendable, Hashable, Codable {
    /// Account equity in quote: what the risk, size and exposure fractions are of.
    public var capital: Double
    /// Quote available to pay for a new position.
    public var cash: Double
    /// Positions currently open.
    public var positions: [OpenTrade]

    /// Creates a snapshot.
    public init(capital: Double, cash: Double, positions: [OpenTrade] = []) {
        self.capital = capital
        self.cash = cash
        self.positions = positions
    }

    /// Σ notional of the open positions, in quote.
    public var totalExposure: Double { positions.reduce(0) { $0 + $1.notional } }

    /// Σ open risk of the positions, in quote.
    public var totalOpenRisk: Double { positions.reduce(0) { $0 + $1.openRisk } }

    /// Σ margin of the positions, in quote.
    public var totalMargin: Double { positions.reduce(0) { $0 + $1.margin } }

    /// Portfolio heat, Σ(open risk) / capital; nil when capital is not positive and finite.
    public var portfolioHeat: Double? { fraction(of: totalOpenRisk) }

    /// Total exposure / capital; nil when capital is not positive and finite.
    public var exposurePct: Double? { fraction(of: totalExposure) }

    /// Margin usage, Σ margin / capital; nil when capital is not positive and finite.
    /// Dividing by available capital would shrink the divisor as margin is posted;
    /// dividing by equity keeps 100 % meaning "all equity is posted as margin".
    public var marginUsage: Double? { fraction(of: totalMargin) }

    private func fraction(of amount: Double) -> Double? {
        guard capital.isFinite, capital > 0 else { return nil }
        let value = amount / capital
        return value.isFinite ? value : nil
    }
}
