import Testing
@testable import Trading

@Suite struct CrossoverAndLevelsTests {
    @Test func smaGoldenCross() throws {
        // now: fast (8 + 14) / 2 = 11, slow (10 + 10 + 8 + 14) / 4 = 10.5 → above
        // before: fast (10 + 8) / 2 = 9, slow (10 + 10 + 10 + 8) / 4 = 9.5 → below
        let state = try #require(Indicators.crossover([10, 10, 10, 10, 8, 14], fastPeriod: 2, slowPeriod: 4, kind: .simple))
        #expect(state.fast == 11 && state.slow == 10.5 && state.previousFast == 9 && state.previousSlow == 9.5)
        #expect(state.direction == .long && state.crossedAbove && !state.crossedBelow)
        #expect(close(state.gap, 0.5 / 10.5, 1e-12))
    }

    @Test func smaDeathCross() throws {
        // now: fast (12 + 6) / 2 = 9, slow (10 + 10 + 12 + 6) / 4 = 9.5; before: 11 over 10.5
        let state = try #require(Indicators.crossover([10, 10, 10, 10, 12, 6], fastPeriod: 2, slowPeriod: 4, kind: .simple))
        #expect(state.direction == .short && state.crossedBelow && !state.crossedAbove)
    }

    @Test func emaCrossoverByDefault() throws {
        // EMA3: seed (2 + 4 + 6) / 3 = 4, α 0.5: 8 → 6, 20 → 13
        // EMA2: seed (2 + 4) / 2 = 3, α 2/3: 6 → 5, 8 → 7, 20 → 7 + 2/3 · 13 = 15.6667
        let state = try #require(Indicators.crossover([2, 4, 6, 8, 20], fastPeriod: 2, slowPeriod: 3))
        #expect(close(state.fast, 7 + 26.0 / 3, 1e-12) && state.slow == 13)
        // before: EMA2 7 over EMA3 6, so still above: no new cross
        #expect(close(try #require(state.previousFast), 7, 1e-12) && state.previousSlow == 6)
        #expect(state.direction == .long && !state.crossedAbove)
    }

    @Test func crossoverNeedsEnoughDataAndSensiblePeriods() throws {
        #expect(Indicators.crossover([1, 2, 3], fastPeriod: 2, slowPeriod: 4) == nil)
        #expect(Indicators.crossover([1, 2, 3, 4], fastPeriod: 4, slowPeriod: 2) == nil)
        #expect(Indicators.crossover([1, 2, 3, 4], fastPeriod: 0, slowPeriod: 2) == nil)
        // Exactly slowPeriod values: a state, but no earlier one to have crossed from.
        let first = try #require(Indicators.crossover([1, 2, 3, 4], fastPeriod: 2, slowPeriod: 4, kind: .simple))
        #expect(first.previousFast == nil && first.previousSlow == nil && !first.crossedAbove)
        #expect(first.direction == .long)  // (3 + 4) / 2 = 3.5 over 2.5
    }

    @Test func keyLevelsAreTheWindowsMinimumAndMaximum() {
        #expect(Indicators.keyLevels(prices: [5, 3, 8, 6, 7], window: 3) == KeyLevels(support: 6, resistance: 8))
        #expect(Indicators.keyLevels(prices: [5, 3, 8, 6, 7], window: 5) == KeyLevels(support: 3, resistance: 8))
        #expect(Indicators.keyLevels(prices: [5, 3, 8, 6, 7], window: 6) == nil)
        #expect(Indicators.keyLevels(prices: [5, .nan, 7], window: 3) == nil)
        let bars = [
            PriceBar(high: 20, low: 1, close: 10),  // outside the window
            PriceBar(high: 12, low: 9, close: 11),
            PriceBar(high: 14, low: 10, close: 13),
        ]
        // lows 9, 10 → support 9; highs 12, 14 → resistance 14 (bar highs, not closes)
        #expect(Indicators.keyLevels(bars: bars, window: 2) == KeyLevels(support: 9, resistance: 14))
        #expect(Indicators.keyLevels(bars: bars, window: 4) == nil)
    }

    @Test func momentumZUsesOnlyTheWindow() throws {
        // window [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, s = √(32 / 7) = 2.13809; (9 − 5) / s = 1.87083
        let z = try #require(Indicators.momentumZ([100, 2, 4, 4, 4, 5, 5, 7, 9], window: 8))
        #expect(close(z, 4 / (32.0 / 7).squareRoot(), 1e-12))
        #expect(Indicators.momentumZ([1, 2], window: 3) == nil)
        #expect(Indicators.momentumZ([3, 3, 3], window: 3) == nil)
    }

    @Test func windowedVolatilityIgnoresOlderPrices() throws {
        // last 3 prices 100, 110, 99: as in IndicatorsTests, 0.1418956; the 50 → 100 jump is outside
        let volatility = try #require(Indicators.realizedVolatility([50, 100, 110, 99], window: 2))
        #expect(close(volatility, 0.14189560954670769, 1e-12))
        #expect(Indicators.realizedVolatility([100, 110], window: 2) == nil)
    }
}
