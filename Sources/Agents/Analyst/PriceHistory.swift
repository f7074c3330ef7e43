import Trading

/// The last `capacity` last-trade prices per symbol, fed by `market.<symbol>` ticks, and the
/// latest reading of each symbol's prices: made at the first request after a new price and
/// reused by every request until the next one (ticks come every `tick_ms`, requests many times
/// more often).
public actor PriceHistory {
    private let capacity: Int
    private var prices: [String: [Double]] = [:]
    /// Only for symbols with prices, so requests naming unknown symbols keep nothing.
    private var readings: [String: QuantReport] = [:]

    /// Keeps at most `capacity` prices per symbol (at least one).
    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Appends a last-trade price of `symbol`, forgetting the oldest beyond the capacity.
    public func record(symbol: String, price: Double) {
        var series = prices[symbol, default: []]
        series.append(price)
        if series.count > capacity { series.removeFirst(series.count - capacity) }
        prices[symbol] = series
        readings[symbol] = nil
    }

    /// The prices kept for `symbol`, oldest first.
    public func series(for symbol: String) -> [Double] { prices[symbol] ?? [] }

    /// `builder`'s reading of the prices kept for `symbol`, made once per new price. Every
    /// request of an analyst uses the same builder.
    public func reading(of symbol: String, by builder: QuantReportBuilder) -> QuantReport {
        if let kept = readings[symbol] { return kept }
        let series = prices[symbol] ?? []
        let reading = builder.build(prices: series)
        if !series.isEmpty { readings[symbol] = reading }
        return reading
    }

    /// Symbols whose reading is kept (for tests).
    var readingsKept: Int { readings.count }
}
