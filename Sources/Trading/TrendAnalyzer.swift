/// Reads trend direction from a moving-average crossover, weighing the gap between the
/// averages against recent volatility and momentum.
public struct TrendAnalyzer: Sendable, Hashable, Codable {
    /// Samples in the fast simple moving average.
    public var fastPeriod: Int
    /// Samples in the slow simple moving average, and in the momentum and volatility window.
    public var slowPeriod: Int
    /// Fewest usable prices before any call other than flat is made.
    public var minSamples: Int
    /// |fast − slow| / slow at or below which the trend is called flat (0.0005 = 0.05 %).
    public var flatBand: Double
    /// Per-sample volatility used when the measured one is smaller, so a very smooth
    /// series cannot make a tiny gap look infinitely significant.
    public var volatilityFloor: Double
    /// Normalised gap at which the trend part of the confidence reaches one half.
    public var halfConfidenceGap: Double

    /// Creates an analyzer.
    public init(
        fastPeriod: Int = 5, slowPeriod: Int = 20, minSamples: Int = 20,
        flatBand: Double = 0.0005, volatilityFloor: Double = 0.0005, halfConfidenceGap: Double = 4
    ) {
        self.fastPeriod = fastPeriod
        self.slowPeriod = slowPeriod
        self.minSamples = minSamples
        self.flatBand = flatBand
        self.volatilityFloor = volatilityFloor
        self.halfConfidenceGap = halfConfidenceGap
    }

    /// Analyses `prices`, oldest first. Non-positive and non-finite prices are dropped.
    public func analyze(prices: [Double]) -> MarketAnalysis {
        if let problem = configurationProblem() {
            return MarketAnalysis(direction: .flat, confidence: 0, sampleCount: 0, reason: problem)
        }
        return analyzeValid(prices.filter(Indicators.isPrice))
    }

    private func analyzeValid(_ prices: [Double]) -> MarketAnalysis {
        let required = max(minSamples, slowPeriod, fastPeriod, 2)
        let window = Array(prices.suffix(slowPeriod))
        var analysis = MarketAnalysis(
            direction: .flat, confidence: 0,
            fastAverage: Indicators.sma(prices, period: fastPeriod),
            slowAverage: Indicators.sma(prices, period: slowPeriod),
            momentumZ: prices.last.flatMap { Indicators.zScore(of: $0, in: window) },
            // slowPeriod + 1 prices give slowPeriod returns.
            volatility: Indicators.realizedVolatility(Array(prices.suffix(slowPeriod + 1))),
            sampleCount: prices.count,
            reason: "insufficient data: \(prices.count) of \(required) samples")
        guard prices.count >= required, let fast = analysis.fastAverage, let slow = analysis.slowAverage
        else { return analysis }
        let gap = (fast - slow) / slow
        analysis.direction = gap > flatBand ? .long : gap < -flatBand ? .short : .flat
        analysis.confidence = confidence(gap: gap, direction: analysis.direction,
                                         volatility: analysis.volatility, momentumZ: analysis.momentumZ)
        analysis.reason = TrendNarrative.describe(fast: fast, slow: slow, gap: gap, flatBand: flatBand,
                                                  momentumZ: analysis.momentumZ, volatility: analysis.volatility)
        return analysis
    }

    /// g / (g + halfConfidenceGap) for the normalised gap g = |gap| / volatility, scaled
    /// by momentum: fully agreeing momentum (|z| ≥ 2 the same way) keeps all of it, fully
    /// disagreeing momentum halves it. A flat call carries no directional confidence.
    private func confidence(gap: Double, direction: Direction, volatility: Double?, momentumZ: Double?) -> Double {
        guard direction != .flat else { return 0 }
        let normalisedGap = abs(gap) / max(volatility ?? 0, volatilityFloor)
        let trend = normalisedGap / (normalisedGap + halfConfidenceGap)
        let z = momentumZ ?? 0
        let agreesWithTrend = (z > 0) == (direction == .long)
        let agreement = min(abs(z) / 2, 1) * (agreesWithTrend ? 1 : -1)
        return min(max(trend * (0.75 + 0.25 * agreement), 0), 1)
    }

    private func configurationProblem() -> String? {
        // Bounded so suffix lengths can neither be negative nor overflow when adding one.
        let periods = 1...1_000_000
        guard periods.contains(fastPeriod), periods.contains(slowPeriod), minSamples <= periods.upperBound else {
            return "invalid analyzer config: periods must be in 1...1000000, got fast \(fastPeriod), slow \(slowPeriod), minSamples \(minSamples)"
        }
        guard flatBand.isFinite, flatBand >= 0, volatilityFloor.isFinite, volatilityFloor > 0,
              halfConfidenceGap.isFinite, halfConfidenceGap > 0 else {
            return "invalid analyzer config: flatBand \(flatBand) must be ≥ 0, volatilityFloor \(volatilityFloor) and halfConfidenceGap \(halfConfidenceGap) > 0"
        }
        return nil
    }
}
