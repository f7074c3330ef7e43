/// One round trip, opened and closed: the input of `PerformanceAnalytics`.
public struct ClosedTrade: Sendable, Hashable, Codable {
    /// Symbol traded.
    public var symbol: String
    /// Side of the opening trade: `.buy` for a long, `.sell` for a short.
    public var side: Side
    /// Base units, positive.
    public var qty: Quantity
    /// Entry price, quote per base unit.
    public var entryPrice: Price
    /// Exit price, quote per base unit.
    public var exitPrice: Price
    /// Fees paid on entry and exit together, in quote (negative for a net rebate).
    public var fees: Money
    /// Opening time, microseconds since the Unix epoch.
    public var entryTimeMicros: Int64
    /// Closing time, microseconds since the Unix epoch.
    public var exitTimeMicros: Int64

    /// Creates a closed trade.
    public init(
        symbol: String = "", side: Side, qty: Quantity, entryPrice: Price, exitPrice: Price, fees: Money = 0,
        entryTimeMicros: Int64, exitTimeMicros: Int64
    ) {
        self.symbol = symbol
        self.side = side
        self.qty = qty
        self.entryPrice = entryPrice
        self.exitPrice = exitPrice
        self.fees = fees
        self.entryTimeMicros = entryTimeMicros
        self.exitTimeMicros = exitTimeMicros
    }

    /// Realized PnL before fees: (exit − entry) × qty for a long, (entry − exit) × qty
    /// for a short, rounded to the nearest 10⁻⁸. Zero for a trade that is not `isValid`.
    public var grossPnl: Money {
        guard isValid, let perUnit = try? exitPrice.subtracting(entryPrice), let pnl = try? perUnit.notional(qty) else { return 0 }
        return side == .buy ? pnl : -pnl
    }

    /// grossPnl − fees: what the trade actually added to the account.
    public var netPnl: Money { (try? grossPnl.subtracting(fees)) ?? 0 }

    /// netPnl / (entry × qty), as a fraction of the entry notional (0.05 for 5 %): a
    /// statistic, in floating point.
    public var returnPct: Double { netPnl.double / (entryPrice.double * qty.double) }

    /// exit − entry time, in microseconds.
    public var holdingMicros: Double { Double(exitTimeMicros) - Double(entryTimeMicros) }

    /// True when every number can be used: positive quantity and prices, and notionals in range.
    public var isValid: Bool {
        qty.isPositive && entryPrice.isPositive && exitPrice.isPositive
            && (try? entryPrice.notional(qty)) != nil && (try? exitPrice.notional(qty)) != nil
    }
}
