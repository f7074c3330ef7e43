import Trading

/// The last `capacity` last-trade prices per symbol, fed by `market.<symbol>` ticks.
public actor PriceHistory {
    private let capacity: Int
    private var prices: [String: [Double]] = [:]

    /// Keeps at most `capacity` prices per symbol (at least one).
    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Appends a last-trade price of `symbol`, forgetting the oldest beyond the capacity.
    public func record(symbol: String, price: Double) {
        var series = prices[symbol, default: []]
        series.append(price)
        if series.count > capacity { series.removeFirst(series.count - capacity) }
        prices[symbol] = series
    }

    /// The prices kept for `symbol`, oldest first.
    public func series(for symbol: String) -> [Double] { prices[symbol] ?? [] }
}
