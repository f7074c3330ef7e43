import Trading

/// The last `capacity` last-trade prices per symbol, fed by `market.<symbol>` ticks.
actor PriceHistory {
    private let capacity: Int
    private var prices: [String: [Double]] = [:]

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func record(symbol: String, price: Double) {
        var series = prices[symbol, default: []]
        series.append(price)
        if series.count > capacity { series.removeFirst(series.count - capacity) }
        prices[symbol] = series
    }

    func series(for symbol: String) -> [Double] { prices[symbol] ?? [] }
}
