import Testing
@testable import Trading

@Suite struct TrendAnalyzerTests {
    /// 100, 101, …, 129: thirty prices rising by one.
    let uptrend = (100...129).map(Double.init)

    @Test func tooFewPricesGiveAFlatCallWithNoConfidence() {
        let analysis = TrendAnalyzer().analyze(prices: Array(uptrend.prefix(10)))
        #expect(analysis.direction == .flat && analysis.confidence == 0)
        #expect(analysis.sampleCount == 10)
        #expect(analysis.reason == "insufficient data: 10 of 20 samples")
        #expect(analysis.fastAverage == 107)  // what can be computed still is: (105 + … + 109) / 5
        #expect(analysis.slowAverage == nil)
    }

    @Test func clearUptrendIsLongWithHandComputedConfidence() throws {
        let analysis = TrendAnalyzer().analyze(prices: uptrend)
        // fast = (125 + … + 129) / 5 = 127; slow = (110 + … + 129) / 20 = 119.5
        // gap = 7.5 / 119.5 = 6.276 %
        #expect(analysis.direction == .long)
        #expect(analysis.fastAverage == 127 && analysis.slowAverage == 119.5)
        // momentum z = (129 − 119.5) / s(110…129) = 9.5 / √35 = 1.60579
        #expect(close(try #require(analysis.momentumZ), 1.6057930839841814, 1e-12))
        // volatility of ln(110/109) … ln(129/128) = 0.00041994, below the 0.0005 floor
        #expect(close(try #require(analysis.volatility), 0.00041994183888871073, 1e-9))
        // g = 0.0627615 / 0.0005 = 125.523; trend = g / (g + 4) = 0.969117
        // agreement = min(1.60579 / 2, 1) = 0.802897; × (0.75 + 0.25 · 0.802897) = 0.921363
        #expect(close(analysis.confidence, 0.9213633565363962, 1e-9))
        #expect(analysis.sampleCount == 30)
        #expect(analysis.reason == "fast SMA 127.00 above slow SMA 119.50 by 6.28%, momentum z 1.61, volatility 0.04% per sample")
    }

    @Test func clearDowntrendIsShort() {
        let analysis = TrendAnalyzer().analyze(prices: uptrend.reversed())
        #expect(analysis.direction == .short && analysis.confidence > 0.8)
        #expect(analysis.reason.hasPrefix("fast SMA 102.00 below slow SMA 109.50 by 6.85%"))
    }

    @Test func aQuietMarketIsFlat() {
        // Alternating 100 / 100.01: the averages differ by far less than the 0.05 % band.
        let prices = (0..<30).map { $0 % 2 == 0 ? 100.0 : 100.01 }
        let analysis = TrendAnalyzer().analyze(prices: prices)
        #expect(analysis.direction == .flat && analysis.confidence == 0)
        #expect(analysis.reason.hasPrefix("fast SMA 100.01 within 0.05% of slow SMA 100.01"))
    }

    @Test func aFadingRallyIsLessConvincing() throws {
        // Same rise, but the last print falls back below the window mean: the gap narrows
        // and momentum turns against the trend, so confidence must drop.
        var faded = uptrend
        faded[29] = 118
        let steady = TrendAnalyzer().analyze(prices: uptrend)
        let fading = TrendAnalyzer().analyze(prices: faded)
        #expect(fading.direction == .long)
        #expect(try #require(fading.momentumZ) < 0)
        #expect(fading.confidence < steady.confidence)
    }

    @Test func badPricesAreDroppedNotFatal() {
        var noisy = uptrend
        noisy.insert(.nan, at: 12)
        noisy.insert(-3, at: 20)
        let analysis = TrendAnalyzer().analyze(prices: noisy)
        #expect(analysis.sampleCount == 30 && analysis.direction == .long)
    }

    @Test func confidenceStaysInTheUnitIntervalOnRandomPaths() throws {
        for seed in UInt64(0)..<40 {
            var process = try PriceProcess(config: PriceProcessConfig(startPrice: 100, volatility: 3, stepSeconds: 3_600), seed: seed)
            let prices = (0..<60).map { _ in process.next().last }
            let analysis = TrendAnalyzer().analyze(prices: prices)
            #expect((0...1).contains(analysis.confidence))
            #expect(analysis.direction != .flat || analysis.confidence == 0)
        }
    }

    @Test func invalidConfigurationIsReportedNotTrapped() {
        let analysis = TrendAnalyzer(fastPeriod: 0, slowPeriod: -1).analyze(prices: uptrend)
        #expect(analysis.direction == .flat && analysis.reason.hasPrefix("invalid analyzer config"))
    }
}
