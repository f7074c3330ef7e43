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
        let changes = zip(prices, prices.dropFirst()).map { $1 - $0 }
        guard let gain = wilderAverage(changes.map { max($0, 0) }, period: period),
              let loss = wilderAverage(changes.map { max(-$0, 0) }, period: period) else { return nil }
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
        let ranges = zip(bars, bars.dropFirst()).map { trueRange($1, previousClose: $0.close) }
        return wilderAverage(ranges, period: period)
    }

    /// Wilder-smoothed average of `values`; nil with fewer than `period` values.
    static func wilderAverage(_ values: [Double], period: Int) -> Double? {
        guard period > 0, values.count >= period else { return nil }
        let weight = Double(period)
        var average = values.prefix(period).reduce(0, +) / weight
        for value in values.dropFirst(period) {
            average = (average * (weight - 1) + value) / weight
        }
        return average.isFinite ? average : nil
    }
}
