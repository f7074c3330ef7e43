/// One open position as seen by `TradePlanner`: enough to know its exposure, its risk to
/// the stop and the margin it ties up. `side` `.buy` is a long, `.sell` a short.
///
/// Its money is exact and rounded up to 10⁻⁸ where a product does not land on the grid, so
/// the position never counts for less than it is against a limit.
public struct OpenTrade: Sendable, Hashable, Codable {
    /// Symbol held, e.g. "BTC-USD".
    public var symbol: String
    /// `.buy` for a long, `.sell` for a short.
    public var side: Side
    /// Base units held, positive.
    public var qty: Quantity
    /// Average entry price, quote per base unit.
    public var entryPrice: Price
    /// Current protective stop, quote per base unit.
    public var stopPrice: Price
    /// Leverage the position was opened with; its margin is notional / leverage.
    public var leverage: Int

    /// Creates an open position.
    public init(symbol: String, side: Side, qty: Quantity, entryPrice: Price, stopPrice: Price, leverage: Int = 1) {
        self.symbol = symbol
        self.side = side
        self.qty = qty
        self.entryPrice = entryPrice
        self.stopPrice = stopPrice
        self.leverage = leverage
    }

    /// qty × entry price, in quote, rounded up: the position's notional value.
    public var notional: Money {
        get throws(FixedPointError) { try entryPrice.notional(qty, .up) }
    }

    /// What is lost if the stop is hit: qty × the stop's distance on the losing side of
    /// entry, rounded up. Zero once the stop has been moved to break-even or beyond, since
    /// such a stop locks in profit rather than risking capital.
    public var openRisk: Money {
        get throws(FixedPointError) {
            let loss = side == .buy ? try entryPrice.subtracting(stopPrice) : try stopPrice.subtracting(entryPrice)
            return loss.isPositive ? try loss.notional(qty, .up) : .zero
        }
    }

    /// notional / leverage, in quote, rounded up.
    public var margin: Money {
        get throws(FixedPointError) { margin(of: try notional) }
    }

    /// The margin of this position's `notional` (worked out already): notional ÷ leverage,
    /// rounded up.
    func margin(of notional: Money) -> Money { notional.divided(by: leverage, .up) }

    /// Why the record cannot be used, or nil when it can.
    var problem: String? {
        guard qty.isPositive else { return "position \(symbol) has quantity \(qty), not positive" }
        guard entryPrice.isPositive, stopPrice.isPositive else {
            return "position \(symbol) has entry \(entryPrice) and stop \(stopPrice); both must be positive"
        }
        guard leverage >= 1 else { return "position \(symbol) has leverage \(leverage), below 1" }
        guard (try? openRisk) != nil, (try? notional) != nil else {
            return "position \(symbol) of \(qty) at \(entryPrice) with stop \(stopPrice) is out of range"
        }
        return nil
    }
}

/// The account as `TradePlanner` sees it before a new trade: capital, cash and the open
/// positions, all exact. The sums throw `FixedPointError` rather than wrap past the range.
public struct PortfolioSnapshot: Sendable, Hashable, Codable {
    /// Account equity in quote: what the risk, size and exposure fractions are of.
    public var capital: Money
    /// Quote available to pay for a new position.
    public var cash: Money
    /// Positions currently open.
    public var positions: [OpenTrade]

    /// Creates a snapshot.
    public init(capital: Money, cash: Money, positions: [OpenTrade] = []) {
        self.capital = capital
        self.cash = cash
        self.positions = positions
    }

    /// Σ notional of the open positions, in quote.
    public var totalExposure: Money {
        get throws(FixedPointError) { try sum { position throws(FixedPointError) in try position.notional } }
    }

    /// Σ open risk of the positions, in quote.
    public var totalOpenRisk: Money {
        get throws(FixedPointError) { try sum { position throws(FixedPointError) in try position.openRisk } }
    }

    /// Σ margin of the positions, in quote.
    public var totalMargin: Money {
        get throws(FixedPointError) { try sum { position throws(FixedPointError) in try position.margin } }
    }

    /// Portfolio heat, Σ(open risk) / capital, as a statistic; nil when capital is not
    /// positive or a sum is out of range. Limits are decided on the exact sums instead.
    public var portfolioHeat: Double? { (try? totalOpenRisk)?.fraction(of: capital) }

    /// Total exposure / capital; nil when capital is not positive or the sum is out of range.
    public var exposurePct: Double? { (try? totalExposure)?.fraction(of: capital) }

    /// Margin usage, Σ margin / capital; nil when capital is not positive or the sum is out
    /// of range. Dividing by available capital would shrink the divisor as margin is posted;
    /// dividing by equity keeps 100 % meaning "all equity is posted as margin".
    public var marginUsage: Double? { (try? totalMargin)?.fraction(of: capital) }

    /// The three sums of the open positions, in one pass: what a plan checks its limits
    /// against and reports, made once per plan rather than once per use.
    public struct Totals: Sendable, Hashable {
        /// Σ notional (`totalExposure`).
        public var exposure: Money
        /// Σ open risk (`totalOpenRisk`).
        public var openRisk: Money
        /// Σ margin (`totalMargin`).
        public var margin: Money
    }

    /// `totalExposure`, `totalOpenRisk` and `totalMargin` together; each position's notional
    /// is worked out once for its exposure and its margin.
    public var totals: Totals {
        get throws(FixedPointError) {
            var totals = Totals(exposure: .zero, openRisk: .zero, margin: .zero)
            for position in positions {
                let notional = try position.notional
                totals.exposure = try totals.exposure.adding(notional)
                totals.openRisk = try totals.openRisk.adding(try position.openRisk)
                totals.margin = try totals.margin.adding(position.margin(of: notional))
            }
            return totals
        }
    }

    private func sum(_ amount: (OpenTrade) throws(FixedPointError) -> Money) throws(FixedPointError) -> Money {
        var total = Money.zero
        for position in positions { total = try total.adding(try amount(position)) }
        return total
    }
}
