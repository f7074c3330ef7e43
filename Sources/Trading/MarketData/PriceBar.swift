/// One high/low/close bar, the input of range-based indicators such as ATR.
public struct PriceBar: Sendable, Hashable, Codable {
    /// First price of the bar, quote per base unit.
    public var open: Double
    /// Highest price of the bar.
    public var high: Double
    /// Lowest price of the bar.
    public var low: Double
    /// Last price of the bar.
    public var close: Double

    /// Creates a bar.
    public init(open: Double, high: Double, low: Double, close: Double) {
        self.open = open
        self.high = high
        self.low = low
        self.close = close
    }

    /// Creates a bar when only the high, low and close are known; the open is the close.
    public init(high: Double, low: Double, close: Double) {
        self.init(open: close, high: high, low: low, close: close)
    }

    /// True when every price is positive and finite and low ≤ open, close ≤ high.
    public var isValid: Bool {
        Indicators.isPrice(open) && Indicators.isPrice(high) && Indicators.isPrice(low) && Indicators.isPrice(close)
            && low <= high && (low...high).contains(open) && (low...high).contains(close)
    }

    /// Groups a tick series, oldest first, into bars of exactly `ticksPerBar` ticks.
    ///
    /// Non-positive and non-finite ticks are dropped first, as a bad print would set a
    /// false high or low. A trailing bucket with fewer ticks is left out, so a bar never
    /// changes shape once it has been returned. Empty when `ticksPerBar` < 1.
    public static func bars(fromTicks ticks: [Double], ticksPerBar: Int) -> [PriceBar] {
        guard ticksPerBar > 0 else { return [] }
        // Shared, not copied, when every tick is a price.
        let prices = ticks.allSatisfy(Indicators.isPrice) ? ticks : ticks.filter(Indicators.isPrice)
        let complete = prices.count / ticksPerBar
        var bars: [PriceBar] = []
        bars.reserveCapacity(complete)
        for index in 0..<complete {
            let first = index * ticksPerBar, last = first + ticksPerBar - 1
            var high = prices[first], low = prices[first]
            for price in prices[(first + 1)..<(first + ticksPerBar)] {
                if price > high { high = price }
                if price < low { low = price }
            }
            bars.append(PriceBar(open: prices[first], high: high, low: low, close: prices[last]))
        }
        return bars
    }
}
