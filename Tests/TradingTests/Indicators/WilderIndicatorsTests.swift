import Testing
@testable import Trading

@Suite struct WilderIndicatorsTests {
    @Test func rsiUsesWilderSmoothingNotASimpleWindow() throws {
        // changes +1 +1 −1 +2 −1; period 3
        // first averages: gain (1 + 1 + 0) / 3 = 2/3, loss (0 + 0 + 1) / 3 = 1/3
        // +2: gain (2/3 · 2 + 2) / 3 = 10/9, loss (1/3 · 2 + 0) / 3 = 2/9
        // −1: gain (10/9 · 2 + 0) / 3 = 20/27, loss (2/9 · 2 + 1) / 3 = 13/27
        // RS = 20/13; RSI = 100 − 100 / (33/13) = 60.60606 (a plain 3-change window would give 50)
        let rsi = try #require(Indicators.rsi([10, 11, 12, 11, 13, 12], period: 3))
        #expect(close(rsi, 2000.0 / 33, 1e-12))
        // Only the first average: RS = (2/3) / (1/3) = 2, RSI = 100 − 100 / 3
        #expect(close(try #require(Indicators.rsi([10, 11, 12, 11], period: 3)), 200.0 / 3, 1e-12))
    }

    @Test func rsiFourteenByDefault() throws {
        // 14 changes: ten of +1, four of −1 → gain 10/14, loss 4/14, RS 2.5, RSI = 100 − 100 / 3.5
        let steps: [Double] = [1, 1, -1, 1, 1, 1, -1, 1, 1, -1, 1, 1, -1, 1]
        let prices = steps.reduce(into: [100.0]) { $0.append($0.last! + $1) }
        #expect(close(try #require(Indicators.rsi(prices)), 100 - 100 / 3.5, 1e-12))
        // then −2: gain (10/14 · 13) / 14 = 130/196, loss (4/14 · 13 + 2) / 14 = 80/196
        // RS 1.625, RSI = 100 − 100 / 2.625 = 61.90476
        #expect(close(try #require(Indicators.rsi(prices + [prices.last! - 2])), 100 - 100 / 2.625, 1e-12))
        #expect(Indicators.rsi(Array(prices.dropLast())) == nil)  // 14 prices give only 13 changes
    }

    @Test func rsiEdgeCases() {
        #expect(Indicators.rsi([1, 2, 3, 4], period: 3) == 100)  // no losses
        #expect(Indicators.rsi([5, 5, 5, 5], period: 3) == 50)  // no movement either way
        #expect(Indicators.rsi([4, 3, 2, 1], period: 3) == 0)  // no gains: 100 − 100 / 1
        #expect(Indicators.rsi([1, 2, .nan, 4], period: 3) == nil)
        #expect(Indicators.rsi([1, 2, 3, 4], period: 0) == nil)
    }

    @Test func trueRangeCountsGapsFromThePreviousClose() {
        let bar = PriceBar(high: 95, low: 90, close: 92)
        // gap down from 100: max(95 − 90, |95 − 100|, |90 − 100|) = 10
        #expect(Indicators.trueRange(bar, previousClose: 100) == 10)
        #expect(Indicators.trueRange(bar, previousClose: nil) == 5)
    }

    @Test func atrIsWilderSmoothedTrueRange() throws {
        let bars = [
            PriceBar(high: 10, low: 8, close: 9),
            PriceBar(high: 11, low: 9, close: 10),  // TR max(2, 2, 0) = 2
            PriceBar(high: 12, low: 10, close: 11),  // TR max(2, 2, 0) = 2
            PriceBar(high: 14, low: 12, close: 13),  // gap up: TR max(2, |14 − 11|, 1) = 3
            PriceBar(high: 13, low: 9, close: 10),  // TR max(4, 0, |9 − 13|) = 4
            PriceBar(high: 10.5, low: 10, close: 10.2),  // TR max(0.5, 0.5, 0) = 0.5
        ]
        // first ATR (2 + 2 + 3) / 3 = 7/3
        #expect(close(try #require(Indicators.atr(Array(bars.prefix(4)), period: 3)), 7.0 / 3, 1e-12))
        // (7/3 · 2 + 4) / 3 = 26/9; (26/9 · 2 + 0.5) / 3 = 56.5/27 = 2.0925926
        #expect(close(try #require(Indicators.atr(bars, period: 3)), 56.5 / 27, 1e-12))
        #expect(Indicators.atr(Array(bars.prefix(3)), period: 3) == nil)  // only two true ranges
    }

    @Test func atrFourteenByDefaultAndRefusesBadBars() throws {
        // 15 bars each 2 wide and 1 above the last: every TR is max(2, 2, 0) = 2
        let bars = (0..<15).map { PriceBar(high: 102 + Double($0), low: 100 + Double($0), close: 101 + Double($0)) }
        #expect(try #require(Indicators.atr(bars)) == 2)
        #expect(Indicators.atr(Array(bars.prefix(14))) == nil)
        var broken = bars
        broken[7] = PriceBar(high: 100, low: 105, close: 102)  // high below low
        #expect(Indicators.atr(broken) == nil)
        broken[7] = PriceBar(high: .infinity, low: 105, close: 106)
        #expect(Indicators.atr(broken) == nil)
    }

    @Test func barsFromTicksUseFixedCountBucketsAndDropBadTicks() {
        let ticks: [Double] = [10, 12, 9, 11, .nan, 13, 14, 12, -1, 15, 16]
        // usable: 10 12 9 | 11 13 14 | 12 15 16
        let bars = PriceBar.bars(fromTicks: ticks, ticksPerBar: 3)
        #expect(bars == [
            PriceBar(open: 10, high: 12, low: 9, close: 9),
            PriceBar(open: 11, high: 14, low: 11, close: 14),
            PriceBar(open: 12, high: 16, low: 12, close: 16),
        ])
        // The unfinished fourth bucket (just 17) is left out.
        #expect(PriceBar.bars(fromTicks: ticks + [17], ticksPerBar: 3).count == 3)
        #expect(PriceBar.bars(fromTicks: ticks, ticksPerBar: 0).isEmpty)
        #expect(PriceBar.bars(fromTicks: [1, 2], ticksPerBar: 3).isEmpty)
    }
}
