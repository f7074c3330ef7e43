/// Pure indicator functions over price or value series, oldest value first.
///
/// Each returns nil rather than a misleading number when the input is too short or the
/// result would not be finite.
public enum Indicators {
    /// Simple moving average of the last `period` values.
    public static func sma(_ values: [Double], period: Int) -> Double? { sma(values[...], period: period) }

    static func sma(_ values: ArraySlice<Double>, period: Int) -> Double? {
        guard period > 0, values.count >= period else { return nil }
        return finite(values.suffix(period).reduce(0, +) / Double(period))
    }

    /// Exponential moving average with α = 2 / (period + 1), seeded with the simple
    /// average of the first `period` values so the start is not biased toward one value.
    public static func ema(_ values: [Double], period: Int) -> Double? {
        emaNowAndBefore(values, period: period).flatMap { finite($0.now) }
    }

    /// The EMA of `values` and, one value earlier, of `values` without its last one (nil when
    /// that is shorter than `period`), both from one pass: the first average made, then moved
    /// by each later value. Either may not be finite.
    static func emaNowAndBefore(_ values: [Double], period: Int) -> (now: Double, before: Double?)? {
        guard period > 0, values.count >= period else { return nil }
        let alpha = 2 / Double(period + 1)
        var sum = 0.0
        for index in 0..<period { sum += values[index] }
        var average = sum / Double(period)
        var before: Double?
        for index in period..<values.count {
            before = average
            average += alpha * (values[index] - average)
        }
        return (average, before)
    }

    /// How many sample standard deviations `value` lies from the mean of `values`.
    /// Nil with fewer than two values or when they do not vary.
    public static func zScore(of value: Double, in values: [Double]) -> Double? {
        guard let spread = standardDeviation(values), spread > 0 else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        return finite((value - mean) / spread)
    }

    /// ln(pᵢ / pᵢ₋₁) for each consecutive pair. Pairs with a non-positive or non-finite
    /// price are skipped, as a return across a bad print means nothing.
    public static func logReturns(_ prices: [Double]) -> [Double] {
        guard prices.count > 1 else { return [] }
        var returns: [Double] = []
        returns.reserveCapacity(prices.count - 1)
        for (previous, current) in zip(prices, prices.dropFirst())
        where isPrice(previous) && isPrice(current) {
            returns.append(naturalLog(current / previous))
        }
        return returns
    }

    /// Sample standard deviation of the log returns: volatility per sampling interval,
    /// not annualised. Nil with fewer than two returns.
    public static func realizedVolatility(_ prices: [Double]) -> Double? {
        standardDeviation(logReturns(prices))
    }

    /// Sample standard deviation (n − 1 denominator).
    static func standardDeviation(_ values: [Double]) -> Double? {
        guard values.count > 1 else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return finite((squares / Double(values.count - 1)).squareRoot())
    }

    static func isPrice(_ value: Double) -> Bool { value.isFinite && value > 0 }

    static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
}
