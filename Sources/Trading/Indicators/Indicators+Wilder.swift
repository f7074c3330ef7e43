/// Indicators that use Wilder's smoothing: the first average is the simple mean of the
/// first `period` values, after which each new value v updates it as
/// average = (average × (period − 1) + v) / period, i.e. an EMA with α = 1 / period.
extension Indicators {
    /// Relative strength index over `period` price changes (14 in Wilder's original), in 0...100.
    ///
    /// Gains and losses are the positive and negative parts of each change, smoothed as
    /// above; RSI = 100 − 100 / (1 + averageGain / averageLoss). With no losses the RSI is
    /// 100, and with no movement at all 50, since neither side has any strength. Needs
    /// period + 1 prices; nil when shorter, when `period` < 1 or when any price is not finite.
    public static func rsi(_ prices: [Double], period: Int = 14) -> Double? {
        guard period > 0, prices.count > period, prices.allSatisfy(\.isFinite) else { return nil }
        // One pass over the changes, each split into its gain and loss as it is made.
        var gains = WilderSmoothing(period: period), losses = WilderSmoothing(period: period)
        for index in 1..<prices.count {
            let change = prices[index] - prices[index - 1]
            gains.add(max(change, 0))
            losses.add(max(-change, 0))
        }
        guard let gain = gains.average, let loss = losses.average else { return nil }
        if loss == 0 { return gain == 0 ? 50 : 100 }
        let value = 100 - 100 / (1 + gain / loss)
        return value.isFinite ? value : nil
    }

    /// The greatest of high − low, |high − previous close| and |low − previous close|, so a
    /// gap between bars counts as range; just high − low for the first bar.
    public static func trueRange(_ bar: PriceBar, previousClose: Double?) -> Double {
        guard let previousClose else { return bar.high - bar.low }
        return max(bar.high - bar.low, abs(bar.high - previousClose), abs(bar.low - previousClose))
    }

    /// Average true range over `period` bars (14 in Wilder's original), in quote per base unit.
    ///
    /// True ranges are taken from the second bar on, so each has a previous close; the
    /// first ATR is the mean of the first `period` of them and later ones are Wilder-smoothed.
    /// Needs period + 1 bars; nil when shorter, when `period` < 1 or when any bar is not
    /// `isValid`, since one bad print would inflate the range for many bars to come.
    public static func atr(_ bars: [PriceBar], period: Int = 14) -> Double? {
        guard period > 0, bars.count > period, bars.allSatisfy(\.isValid) else { return nil }
        var ranges = WilderSmoothing(period: period)
        for index in 1..<bars.count { ranges.add(trueRange(bars[index], previousClose: bars[index - 1].close)) }
        return ranges.average
    }
}

/// Wilder's smoothing fed one value at a time: the mean of the first `period` values, then
/// average = (average × (period − 1) + v) / period for each later one. The same operations in
/// the same order as over a whole series, so the result is the same to the bit.
struct WilderSmoothing {
    private let period: Int
    private let weight: Double
    private var seen = 0
    private var sum = 0.0
    private var current = 0.0

    /// Smoothing over `period` (at least 1) values.
    init(period: Int) {
        self.period = period
        weight = Double(period)
    }

    /// Takes the next value.
    mutating func add(_ value: Double) {
        if seen < period {
            sum += value
            seen += 1
            if seen == period { current = sum / weight }
        } else {
            current = (current * (weight - 1) + value) / weight
        }
    }

    /// The smoothed average; nil before `period` values or when it is not finite.
    var average: Double? { seen >= period && current.isFinite ? current : nil }
}
