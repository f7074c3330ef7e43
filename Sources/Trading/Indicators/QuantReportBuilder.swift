/// Builds a `QuantReport` from a price series and, optionally, bars: EMA crossover,
/// Wilder RSI and ATR, z-score momentum, realized volatility and support/resistance,
/// blended into one technical score.
public struct QuantReportBuilder: Sendable, Hashable, Codable {
    /// Samples in the fast EMA.
    public var fastPeriod: Int
    /// Samples in the slow EMA, and in the momentum and volatility windows.
    public var slowPeriod: Int
    /// Price changes in the RSI.
    public var rsiPeriod: Int
    /// Bars in the ATR.
    public var atrPeriod: Int
    /// Prices (or bars, when bars are passed) over which support and resistance are taken.
    public var levelWindow: Int
    /// Ticks per bar when bars are built from the prices themselves.
    public var ticksPerBar: Int
    /// |technicalScore| at or below which the call is flat.
    public var flatThreshold: Double
    /// Per-sample volatility used when the measured one is smaller, so a very smooth
    /// series cannot make a tiny EMA gap look infinitely significant.
    public var volatilityFloor: Double
    /// Volatility-normalised EMA gap at which the trend strength reaches one half.
    public var halfStrengthGap: Double

    /// Creates a builder; the defaults are EMA 5/20, RSI 14, ATR 14 over 5-tick bars,
    /// 20-sample levels and a flat band of ±0.1.
    public init(
        fastPeriod: Int = 5, slowPeriod: Int = 20, rsiPeriod: Int = 14, atrPeriod: Int = 14,
        levelWindow: Int = 20, ticksPerBar: Int = 5, flatThreshold: Double = 0.1,
        volatilityFloor: Double = 0.0005, halfStrengthGap: Double = 4
    ) {
        self.fastPeriod = fastPeriod
        self.slowPeriod = slowPeriod
        self.rsiPeriod = rsiPeriod
        self.atrPeriod = atrPeriod
        self.levelWindow = levelWindow
        self.ticksPerBar = ticksPerBar
        self.flatThreshold = flatThreshold
        self.volatilityFloor = volatilityFloor
        self.halfStrengthGap = halfStrengthGap
    }

    /// Usable prices needed for a call: slowPeriod + 1 (a full volatility window and the
    /// previous crossover), rsiPeriod + 1, and levelWindow, whichever is most.
    public var requiredSamples: Int { max(slowPeriod + 1, rsiPeriod + 1, levelWindow) }

    /// Reports on `prices`, oldest first; non-positive and non-finite prices are dropped.
    /// Without `bars`, bars of `ticksPerBar` prices are built for the ATR and the key
    /// levels come from the prices; with `bars`, both come from them. The ATR may be nil
    /// (too few bars) without preventing a call.
    public func build(prices: [Double], bars: [PriceBar]? = nil) -> QuantReport {
        if let problem = configurationProblem() {
            return QuantReport(direction: .flat, confidence: 0, technicalScore: 0, trendStrength: 0,
                               sampleCount: 0, thesis: problem)
        }
        // Shared, not copied, when every price is usable.
        let usable = prices.allSatisfy(Indicators.isPrice) ? prices : prices.filter(Indicators.isPrice)
        let levels = bars.map { Indicators.keyLevels(bars: $0, window: levelWindow) }
            ?? Indicators.keyLevels(prices: usable, window: levelWindow)
        var report = QuantReport(
            direction: .flat, confidence: 0, technicalScore: 0, trendStrength: 0,
            volatility: Indicators.realizedVolatility(usable, window: slowPeriod), keyLevels: levels,
            crossover: Indicators.crossover(usable, fastPeriod: fastPeriod, slowPeriod: slowPeriod),
            rsi: Indicators.rsi(usable, period: rsiPeriod),
            atr: Indicators.atr(bars ?? PriceBar.bars(fromTicks: usable, ticksPerBar: ticksPerBar), period: atrPeriod),
            momentumZ: Indicators.momentumZ(usable, window: slowPeriod), lastPrice: usable.last,
            sampleCount: usable.count, thesis: "insufficient data: \(usable.count) of \(requiredSamples) prices")
        guard usable.count >= requiredSamples, let crossover = report.crossover, let rsi = report.rsi else { return report }
        // The gap is judged against volatility so that 1 % means more in a calm market.
        let normalisedGap = crossover.gap / max(report.volatility ?? 0, volatilityFloor)
        let trend = normalisedGap / (abs(normalisedGap) + halfStrengthGap)
        // |z| of 2 is already a stretched market; beyond it momentum adds nothing more.
        let momentum = min(max((report.momentumZ ?? 0) / 2, -1), 1)
        let score = 0.5 * trend + 0.25 * (rsi - 50) / 50 + 0.25 * momentum
        guard score.isFinite else {
            report.thesis = "indicators not finite: score \(score)"
            return report
        }
        report.technicalScore = min(max(score, -1), 1)
        report.trendStrength = abs(trend)
        report.direction = score > flatThreshold ? .long : score < -flatThreshold ? .short : .flat
        report.confidence = report.direction == .flat ? 0 : abs(report.technicalScore)
        report.thesis = QuantThesis.describe(report, flatThreshold: flatThreshold)
        return report
    }

    private func configurationProblem() -> String? {
        // Bounded so window arithmetic (period + 1) can never overflow.
        let periods = 1...1_000_000
        guard periods.contains(fastPeriod), periods.contains(slowPeriod), fastPeriod < slowPeriod,
              periods.contains(rsiPeriod), periods.contains(atrPeriod), periods.contains(levelWindow),
              periods.contains(ticksPerBar) else {
            return "invalid quant config: periods must be in 1...1000000 with fast < slow, got fast \(fastPeriod), "
                + "slow \(slowPeriod), rsi \(rsiPeriod), atr \(atrPeriod), levels \(levelWindow), ticksPerBar \(ticksPerBar)"
        }
        guard flatThreshold.isFinite, (0..<1).contains(flatThreshold), volatilityFloor.isFinite, volatilityFloor > 0,
              halfStrengthGap.isFinite, halfStrengthGap > 0 else {
            return "invalid quant config: flatThreshold \(flatThreshold) must be in [0, 1), volatilityFloor "
                + "\(volatilityFloor) and halfStrengthGap \(halfStrengthGap) > 0"
        }
        return nil
    }
}
