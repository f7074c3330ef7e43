import Testing
@testable import Trading

@Suite struct QuantReportTests {
    /// 100, 101, …, 129: thirty prices rising by one.
    let uptrend = (100...129).map(Double.init)

    @Test func clearUptrendWithHandComputedScore() throws {
        let report = QuantReportBuilder().build(prices: uptrend)
        // On a line rising by 1 an SMA-seeded EMA(n) lags by (n − 1) / 2 from its seed on:
        // EMA5 = 129 − 2 = 127, EMA20 = 129 − 9.5 = 119.5; a sample earlier 126 and 118.5.
        let crossover = try #require(report.crossover)
        #expect(close(crossover.fast, 127, 1e-12) && close(crossover.slow, 119.5, 1e-12))
        #expect(!crossover.crossedAbove)
        // gap 7.5 / 119.5 = 0.0627615; volatility of ln(110/109) … ln(129/128) = 0.00041994,
        // under the 0.0005 floor: g = 0.0627615 / 0.0005 = 125.523, trend = g / (g + 4) = 0.969117
        #expect(close(try #require(report.volatility), 0.00041994183888871073, 1e-9))
        #expect(close(report.trendStrength, 0.9691174570357928, 1e-9))
        // RSI: only gains → 100; momentum z = (129 − 119.5) / √35 = 1.605793 → 0.802897 after /2
        #expect(report.rsi == 100)
        #expect(close(try #require(report.momentumZ), 1.6057930839841814, 1e-12))
        // score = 0.5 · 0.969117 + 0.25 · (100 − 50) / 50 + 0.25 · 0.802897 = 0.935283
        #expect(close(report.technicalScore, 0.9352828640159191, 1e-9))
        #expect(report.direction == .long && close(report.confidence, 0.9352828640159191, 1e-9))
        #expect(report.keyLevels == KeyLevels(support: 110, resistance: 129))  // last 20 prices
        #expect(report.atr == nil)  // 30 ticks make 6 five-tick bars, short of the 15 ATR(14) needs
        #expect(report.lastPrice == 129 && report.sampleCount == 30)
        #expect(report.thesis == "long, score 0.94, trend strength 0.97: fast EMA 127.00 above slow EMA 119.50 by 6.28%, "
            + "RSI 100.0, momentum z 1.61, volatility 0.04% per sample, ATR n/a, support 110.00, resistance 129.00")
    }

    @Test func clearDowntrendIsShort() throws {
        let report = QuantReportBuilder().build(prices: uptrend.reversed())
        // EMA5 = 100 + 2 = 102, EMA20 = 100 + 9.5 = 109.5; RSI 0 → (0 − 50) / 50 = −1
        #expect(report.direction == .short && report.rsi == 0)
        #expect(report.technicalScore < -0.9 && report.confidence == -report.technicalScore)
        #expect(report.thesis.hasPrefix("short, score -0.94, trend strength 0.97: fast EMA 102.00 below slow EMA 109.50 by 6.85%"))
    }

    @Test func aMarketThatDoesNotMoveIsFlat() {
        // No gap (trend 0), RSI 50 with no movement (0), no variation for a z-score (0): score 0.
        let report = QuantReportBuilder().build(prices: Array(repeating: 100, count: 25))
        #expect(report.direction == .flat && report.confidence == 0 && report.technicalScore == 0)
        #expect(report.rsi == 50 && report.momentumZ == nil && report.trendStrength == 0)
        #expect(report.thesis == "flat, score 0.00 within ±0.10, trend strength 0.00: fast EMA 100.00 level with slow EMA 100.00, "
            + "RSI 50.0, momentum z n/a, volatility 0.00% per sample, ATR n/a, support 100.00, resistance 100.00")
    }

    @Test func aSpikeCapsMomentumAndCrossesTheAverages() throws {
        // 24 prices of 100, then 110.
        let report = QuantReportBuilder().build(prices: Array(repeating: 100, count: 24) + [110])
        // EMA5 = 100 + 10/3 = 103.333, EMA20 = 100 + 10 · 2/21 = 100.952; both 100 a sample earlier
        let crossover = try #require(report.crossover)
        #expect(close(crossover.fast, 100 + 10.0 / 3, 1e-12) && close(crossover.slow, 100 + 20.0 / 21, 1e-12))
        #expect(crossover.crossedAbove)
        // z in the last 20 (nineteen 100s and 110): mean 100.5, s = √((19 · 0.25 + 90.25) / 19) = √5,
        // z = 9.5 / √5 = 4.2485, capped at 2 → momentum 1
        #expect(close(try #require(report.momentumZ), 9.5 / 5.0.squareRoot(), 1e-12))
        // volatility: nineteen zero returns and ln 1.1 → s = 0.021312; gap 2.381 / 100.952 = 0.023585
        // g = 1.106649, trend = g / (g + 4) = 0.216707; RSI 100 (the only change is a gain)
        #expect(close(report.trendStrength, 0.2167074559308697, 1e-9))
        // score = 0.5 · 0.216707 + 0.25 · 1 + 0.25 · 1 = 0.608354
        #expect(close(report.technicalScore, 0.6083537279654349, 1e-9) && report.direction == .long)
        #expect(report.thesis.contains("above slow EMA 100.95 by 2.36% (crossed above this sample)"))
    }

    @Test func tooFewPricesGiveFlatWithNoConfidence() {
        let report = QuantReportBuilder().build(prices: Array(uptrend.prefix(20)))
        // Needs max(20 + 1, 14 + 1, 20) = 21.
        #expect(report.direction == .flat && report.confidence == 0 && report.technicalScore == 0)
        #expect(report.thesis == "insufficient data: 20 of 21 prices")
        #expect(report.sampleCount == 20 && report.rsi == 100)  // what can be computed still is
        #expect(QuantReportBuilder().build(prices: []).thesis == "insufficient data: 0 of 21 prices")
    }

    @Test func badPricesAreDroppedAndCounted() {
        let report = QuantReportBuilder().build(prices: uptrend + [.nan, -5, 0, .infinity])
        #expect(report.sampleCount == 30 && report.direction == .long && report.lastPrice == 129)
    }

    @Test func suppliedBarsGiveTheAtrAndLevels() throws {
        // 20 bars, each 2 wide and 1 above the last: every true range is 2, so ATR(14) = 2;
        // lowest low 100 (first bar), highest high 121 (last bar).
        let bars = (0..<20).map { PriceBar(high: 102 + Double($0), low: 100 + Double($0), close: 101 + Double($0)) }
        let report = QuantReportBuilder().build(prices: uptrend, bars: bars)
        #expect(report.atr == 2)
        #expect(report.keyLevels == KeyLevels(support: 100, resistance: 121))
        #expect(report.thesis.contains("ATR 2.00, support 100.00, resistance 121.00"))
    }

    @Test func barsBuiltFromTicksWhenNoneAreSupplied() throws {
        // Two-tick bars of 100..129: [100, 101], [102, 103], …: 15 bars, each TR
        // max(1, |101 + 2k − (99 + 2k)|, 1) = 2, so ATR(14) = 2.
        let report = QuantReportBuilder(ticksPerBar: 2).build(prices: uptrend)
        #expect(report.atr == 2)
    }

    @Test func invalidConfigurationIsReportedNotFatal() {
        let report = QuantReportBuilder(fastPeriod: 20, slowPeriod: 5).build(prices: uptrend)
        #expect(report.direction == .flat && report.confidence == 0)
        #expect(report.thesis.hasPrefix("invalid quant config"))
        #expect(QuantReportBuilder(flatThreshold: .nan).build(prices: uptrend).thesis.hasPrefix("invalid quant config"))
    }
}
