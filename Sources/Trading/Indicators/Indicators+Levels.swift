/// Support below and resistance above the market, in quote per base unit.
public struct KeyLevels: Sendable, Hashable, Codable {
    /// Lowest price (or bar low) of the window.
    public var support: Double
    /// Highest price (or bar high) of the window.
    public var resistance: Double

    /// Creates key levels.
    public init(support: Double, resistance: Double) {
        self.support = support
        self.resistance = resistance
    }
}

extension Indicators {
    /// Support and resistance as the minimum and maximum of the last `window` prices,
    /// the latest included. Nil with fewer than `window` prices, `window` < 1, or any
    /// price in the window not positive and finite.
    public static func keyLevels(prices: [Double], window: Int) -> KeyLevels? {
        guard window > 0, prices.count >= window else { return nil }
        let recent = prices.suffix(window)
        guard recent.allSatisfy(isPrice), let low = recent.min(), let high = recent.max() else { return nil }
        return KeyLevels(support: low, resistance: high)
    }

    /// Support and resistance as the lowest low and highest high of the last `window`
    /// bars, the latest included. Nil with fewer than `window` bars, `window` < 1, or an
    /// invalid bar in the window.
    public static func keyLevels(bars: [PriceBar], window: Int) -> KeyLevels? {
        guard window > 0, bars.count >= window else { return nil }
        let recent = bars.suffix(window)
        guard recent.allSatisfy(\.isValid), let low = recent.map(\.low).min(), let high = recent.map(\.high).max()
        else { return nil }
        return KeyLevels(support: low, resistance: high)
    }

    /// Z-score momentum: how many sample standard deviations the latest price lies from
    /// the mean of the last `window` prices (itself included). Positive means stretched
    /// upward. Nil with fewer than max(window, 2) prices or a window that does not vary.
    public static func momentumZ(_ prices: [Double], window: Int) -> Double? {
        guard window > 1, prices.count >= window, let last = prices.last else { return nil }
        return zScore(of: last, in: Array(prices.suffix(window)))
    }

    /// `realizedVolatility` over the last `window` returns, i.e. the last window + 1 prices.
    /// Nil when `window` < 2 or fewer prices are available.
    public static func realizedVolatility(_ prices: [Double], window: Int) -> Double? {
        guard window > 1, window < Int.max, prices.count > window else { return nil }
        return realizedVolatility(Array(prices.suffix(window + 1)))
    }
}
