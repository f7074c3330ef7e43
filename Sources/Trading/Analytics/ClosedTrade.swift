/// One round trip, opened and closed: the input of `PerformanceAnalytics`.
public struct ClosedTrade: Sendable, Hashable, Codable {
    /// Symbol traded.
    public var symbol: String
    /// Side of the opening trade: `.buy` for a long, `.sell` for a short.
    public var side: Side
    /// Base units, positive.
    public var qty: Double
    /// Entry price, quote per base unit.
    public var entryPrice: Double
    /// Exit price, quote per base unit.
    public var exitPrice: Double
    /// Fees paid on entry and exit together, in quote (negative for a net rebate).
    public var fees: Double
    /// Opening time, microseconds since the Unix epoch.
    public var entryTimeMicros: Int64
    /// Closing time, microseconds since the Unix epoch.
    public var exitTimeMicros: Int64

    /// Creates a closed trade.
    public init(
        symbol: String = "", side: Side, qty: Double, entryPrice: Double, exitPrice: Double, fees: Double = 0,
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

    /// Realized PnL before fees: (exit − entry) × qty for a long,
    /// (entry − exit) × qty for a short.
    public var grossPnl: Double { side.sign * (exitPrice - entryPrice) * qty }

    /// grossPnl − fees: what the trade actually added to the account.
    public var netPnl: Double { grossPnl - fees }

    /// netPnl / (entry × qty), as a fraction of the entry notional (0.05 for 5 %).
    public var returnPct: Double { netPnl / (entryPrice * qty) }

    /// exit − entry time, in microseconds.
    public var holdingMicros: Double { Double(exitTimeMicros) - Double(entryTimeMicros) }

    /// True when every number can be used: positive finite quantity and prices, finite fees.
    public var isValid: Bool {
        qty.isFinite && qty > 0 && Indicators.isPrice(entryPrice) && Indicators.isPrice(exitPrice) && fees.isFinite
    }
}
