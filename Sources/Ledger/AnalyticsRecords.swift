import Trading

/// One closed round trip as the TradingDirector records it: the trade itself, whose
/// account it was, which signal opened it and why it was closed.
///
/// JSON flattens the trade into the same snake_case names as the database columns
/// (symbol, side, qty, entry_price, exit_price, fees, entry_time_us, exit_time_us).
public struct AnalyticsTrade: Sendable, Hashable, Codable {
    /// The exit reason of a trade closed because an opposite signal arrived; the other
    /// reasons are `ExitReason` raw values ("stop_loss", "take_profit", "time_stop").
    public static let signalExitReason = "signal"

    /// Row id, assigned by `AnalyticsStore.record(_:)`; nil for a trade not yet recorded.
    public var id: Int64?
    /// Account that traded.
    public var account: String
    /// The round trip: symbol, side, quantity, prices, fees and times.
    public var trade: ClosedTrade
    /// Id of the signal that opened the position.
    public var openingSignalId: String
    /// Why it was closed: an `ExitReason` raw value or `signalExitReason`.
    public var exitReason: String

    /// Creates a trade record; leave `id` nil for one to be recorded.
    public init(id: Int64? = nil, account: String, trade: ClosedTrade, openingSignalId: String, exitReason: String) {
        self.id = id
        self.account = account
        self.trade = trade
        self.openingSignalId = openingSignalId
        self.exitReason = exitReason
    }

    /// Creates a record of a trade closed by a stop, a target or the time limit.
    public init(id: Int64? = nil, account: String, trade: ClosedTrade, openingSignalId: String, exitReason: ExitReason) {
        self.init(id: id, account: account, trade: trade, openingSignalId: openingSignalId, exitReason: exitReason.rawValue)
    }

    /// What the trade added to the account after fees (`ClosedTrade.netPnl`).
    public var netPnl: Money { trade.netPnl }

    /// netPnl as a fraction of the entry notional (`ClosedTrade.returnPct`).
    public var returnPct: Double { trade.returnPct }

    /// Why the record cannot be stored, or nil when it can: the quantity and prices must
    /// be positive (a return needs a notional to divide by) and the notionals in range.
    var problem: String? {
        let t = trade
        guard t.isValid else {
            return "trade of \(account) \(t.symbol) has qty \(t.qty), entry \(t.entryPrice), exit \(t.exitPrice): all must be positive"
        }
        return nil
    }

    /// The JSON keys, snake_case as in the database.
    enum CodingKeys: String, CodingKey {
        case id, account, symbol, side, qty, fees
        case entryPrice = "entry_price"
        case exitPrice = "exit_price"
        case entryTimeMicros = "entry_time_us"
        case exitTimeMicros = "exit_time_us"
        case openingSignalId = "opening_signal_id"
        case exitReason = "exit_reason"
    }

    /// Decodes the flat form written by `encode(to:)`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(Int64.self, forKey: .id)
        account = try c.decode(String.self, forKey: .account)
        trade = ClosedTrade(
            symbol: try c.decode(String.self, forKey: .symbol), side: try c.decode(Side.self, forKey: .side),
            qty: try c.decode(Quantity.self, forKey: .qty), entryPrice: try c.decode(Price.self, forKey: .entryPrice),
            exitPrice: try c.decode(Price.self, forKey: .exitPrice), fees: try c.decode(Money.self, forKey: .fees),
            entryTimeMicros: try c.decode(Int64.self, forKey: .entryTimeMicros),
            exitTimeMicros: try c.decode(Int64.self, forKey: .exitTimeMicros))
        openingSignalId = try c.decode(String.self, forKey: .openingSignalId)
        exitReason = try c.decode(String.self, forKey: .exitReason)
    }

    /// Encodes the record flat, the trade's fields beside the account and reasons.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(account, forKey: .account)
        try c.encode(trade.symbol, forKey: .symbol)
        try c.encode(trade.side, forKey: .side)
        try c.encode(trade.qty, forKey: .qty)
        try c.encode(trade.entryPrice, forKey: .entryPrice)
        try c.encode(trade.exitPrice, forKey: .exitPrice)
        try c.encode(trade.fees, forKey: .fees)
        try c.encode(trade.entryTimeMicros, forKey: .entryTimeMicros)
        try c.encode(trade.exitTimeMicros, forKey: .exitTimeMicros)
        try c.encode(openingSignalId, forKey: .openingSignalId)
        try c.encode(exitReason, forKey: .exitReason)
    }
}

/// The portfolio of one account at one moment, recorded on an interval. Amounts are exact, in
/// quote (stored as INTEGER units of 10⁻⁸), percentages fractions of capital, as in
/// `PortfolioValuation`.
public struct AnalyticsSnapshot: Sendable, Hashable, Codable {
    /// When it was taken, microseconds since the Unix epoch.
    public var timeMicros: Int64
    /// Account valued.
    public var account: String
    /// Account equity.
    public var capital: Money
    /// Quote available.
    public var cash: Money
    /// Σ qty × mark of the open positions.
    public var exposure: Money
    /// exposure / capital.
    public var exposurePct: Double
    /// Profit already booked.
    public var realizedPnl: Money
    /// Profit of the open positions at their marks.
    public var unrealizedPnl: Money
    /// Positions open.
    public var openPositions: Int
    /// Σ open risk to the stops / capital; nil when not known.
    public var portfolioHeat: Double?

    /// Creates a snapshot.
    public init(
        timeMicros: Int64, account: String, capital: Money, cash: Money, exposure: Money, exposurePct: Double,
        realizedPnl: Money, unrealizedPnl: Money, openPositions: Int, portfolioHeat: Double? = nil
    ) {
        self.timeMicros = timeMicros
        self.account = account
        self.capital = capital
        self.cash = cash
        self.exposure = exposure
        self.exposurePct = exposurePct
        self.realizedPnl = realizedPnl
        self.unrealizedPnl = unrealizedPnl
        self.openPositions = openPositions
        self.portfolioHeat = portfolioHeat
    }

    /// The snapshot of `valuation` (from `PortfolioSnapshot.valuation(marks:realizedPnl:initialCapital:)`).
    public init(timeMicros: Int64, account: String, valuation v: PortfolioValuation) {
        self.init(timeMicros: timeMicros, account: account, capital: v.capital, cash: v.cash, exposure: v.exposure,
                  exposurePct: v.exposurePct, realizedPnl: v.realizedPnl, unrealizedPnl: v.unrealizedPnl,
                  openPositions: v.openPositions, portfolioHeat: v.portfolioHeat)
    }

    /// Why the snapshot cannot be stored, or nil when it can: its fractions finite, the
    /// position count not negative (amounts are exact and always storable).
    var problem: String? {
        guard exposurePct.isFinite, (portfolioHeat ?? 0).isFinite else {
            return "snapshot of \(account) at \(timeMicros) has a non-finite fraction (exposure % \(exposurePct), "
                + "heat \(portfolioHeat.map { "\($0)" } ?? "none"))"
        }
        guard openPositions >= 0 else { return "snapshot of \(account) at \(timeMicros) has \(openPositions) open positions" }
        return nil
    }

    /// The JSON keys, snake_case as in the database.
    enum CodingKeys: String, CodingKey {
        case account, capital, cash, exposure
        case timeMicros = "time_us"
        case exposurePct = "exposure_pct"
        case realizedPnl = "realized_pnl"
        case unrealizedPnl = "unrealized_pnl"
        case openPositions = "open_positions"
        case portfolioHeat = "portfolio_heat"
    }
}

/// One row for the analytics file: a closed trade or a portfolio snapshot, so that several
/// of either kind can be written in one transaction (`AnalyticsStore.record(_:)` on an array).
public enum AnalyticsRecord: Sendable, Hashable {
    case trade(AnalyticsTrade)
    case snapshot(AnalyticsSnapshot)

    /// Why the record cannot be stored, or nil when it can.
    var problem: String? {
        switch self {
        case .trade(let trade): trade.problem
        case .snapshot(let snapshot): snapshot.problem
        }
    }
}
