import Testing
@testable import Trading

/// The indicators as their definitions read, each step a collection of its own: the RSI's
/// changes, gains and losses, the bars of a tick series, the crossover's earlier series. The
/// library makes each in one pass without them; these tests hold the two to the same bits.
private enum ByDefinition {
    static func wilderAverage(_ values: [Double], period: Int) -> Double? {
        guard period > 0, values.count >= period else { return nil }
        let weight = Double(period)
        var average = values.prefix(period).reduce(0, +) / weight
        for value in values.dropFirst(period) { average = (average * (weight - 1) + value) / weight }
        return average.isFinite ? average : nil
    }

    static func rsi(_ prices: [Double], period: Int) -> Double? {
        guard period > 0, prices.count > period, prices.allSatisfy(\.isFinite) else { return nil }
        let changes = zip(prices, prices.dropFirst()).map { $1 - $0 }
        guard let gain = wilderAverage(changes.map { max($0, 0) }, period: period),
              let loss = wilderAverage(changes.map { max(-$0, 0) }, period: period) else { return nil }
        if loss == 0 { return gain == 0 ? 50 : 100 }
        let value = 100 - 100 / (1 + gain / loss)
        return value.isFinite ? value : nil
    }

    static func atr(_ bars: [PriceBar], period: Int) -> Double? {
        guard period > 0, bars.count > period, bars.allSatisfy(\.isValid) else { return nil }
        return wilderAverage(zip(bars, bars.dropFirst()).map { Indicators.trueRange($1, previousClose: $0.close) }, period: period)
    }

    static func bars(fromTicks ticks: [Double], ticksPerBar: Int) -> [PriceBar] {
        guard ticksPerBar > 0 else { return [] }
        let prices = ticks.filter(Indicators.isPrice)
        return (0..<(prices.count / ticksPerBar)).map { index in
            let bucket = prices[(index * ticksPerBar)..<((index + 1) * ticksPerBar)]
            return PriceBar(open: bucket.first!, high: bucket.max()!, low: bucket.min()!, close: bucket.last!)
        }
    }

    static func sma(_ values: [Double], period: Int) -> Double? {
        guard period > 0, values.count >= period else { return nil }
        let value = values.suffix(period).reduce(0, +) / Double(period)
        return value.isFinite ? value : nil
    }

    static func ema(_ values: [Double], period: Int) -> Double? {
        guard period > 0, values.count >= period else { return nil }
        let alpha = 2 / Double(period + 1)
        var average = values.prefix(period).reduce(0, +) / Double(period)
        for value in values.dropFirst(period) { average += alpha * (value - average) }
        return average.isFinite ? average : nil
    }

    static func crossover(_ values: [Double], fastPeriod: Int, slowPeriod: Int, kind: MovingAverageKind) -> MovingAverageCrossover? {
        guard fastPeriod > 0, fastPeriod < slowPeriod else { return nil }
        let average: ([Double], Int) -> Double? = kind == .simple ? { sma($0, period: $1) } : { ema($0, period: $1) }
        guard let fast = average(values, fastPeriod), let slow = average(values, slowPeriod), slow > 0 else { return nil }
        let earlier = Array(values.dropLast())
        let previousFast = average(earlier, fastPeriod), previousSlow = average(earlier, slowPeriod)
        let both = previousFast != nil && previousSlow != nil
        return MovingAverageCrossover(fast: fast, slow: slow, previousFast: both ? previousFast : nil, previousSlow: both ? previousSlow : nil)
    }
}

@Suite struct OnePassIndicatorsTests {
    /// Random walks of every length up to 60, some with bad prints (zero, negative, NaN,
    /// infinity) and flat stretches, from a fixed seed so a failure can be replayed.
    static func series() -> [[Double]] {
        var generator = SeededGenerator(seed: 0x5EED_1D1C)
        var all: [[Double]] = []
        for length in 0...60 {
            for variant in 0..<6 {
                var price = 100.0, prices: [Double] = []
                for _ in 0..<length {
                    let step = Double(generator.next() % 2001) / 1_000 - 1
                    price = variant == 5 && generator.next() % 3 == 0 ? price : max(0.5, price + step)
                    prices.append(price)
                }
                if variant == 4, !prices.isEmpty {
                    let bad: [Double] = [0, -1, .nan, .infinity]
                    prices[Int(generator.next() % UInt64(prices.count))] = bad[Int(generator.next() % 4)]
                }
                all.append(prices)
            }
        }
        return all
    }

    @Test func rsiMatchesItsDefinitionBitForBit() {
        for prices in Self.series() {
            for period in [1, 2, 3, 14, 30] {
                #expect(Indicators.rsi(prices, period: period)?.bitPattern == ByDefinition.rsi(prices, period: period)?.bitPattern,
                        "rsi period \(period) of \(prices)")
            }
        }
    }

    @Test func barsAndAtrMatchTheirDefinitionsBitForBit() {
        for prices in Self.series() {
            for ticksPerBar in [1, 3, 5] {
                let bars = PriceBar.bars(fromTicks: prices, ticksPerBar: ticksPerBar)
                #expect(bars == ByDefinition.bars(fromTicks: prices, ticksPerBar: ticksPerBar), "bars of \(ticksPerBar) from \(prices)")
                for period in [1, 2, 3, 14] {
                    #expect(Indicators.atr(bars, period: period)?.bitPattern == ByDefinition.atr(bars, period: period)?.bitPattern,
                            "atr period \(period) of \(bars)")
                }
            }
        }
        // An invalid bar (high below low) is refused by both.
        let broken = [PriceBar(high: 10, low: 9, close: 9.5), PriceBar(high: 9, low: 10, close: 9.5), PriceBar(high: 10, low: 9, close: 9.5)]
        #expect(Indicators.atr(broken, period: 1) == nil && ByDefinition.atr(broken, period: 1) == nil)
    }

    @Test func averagesAndCrossoverMatchTheirDefinitionsBitForBit() {
        for prices in Self.series() {
            for period in [1, 2, 5, 20] {
                #expect(Indicators.ema(prices, period: period)?.bitPattern == ByDefinition.ema(prices, period: period)?.bitPattern)
                #expect(Indicators.sma(prices, period: period)?.bitPattern == ByDefinition.sma(prices, period: period)?.bitPattern)
            }
            for kind in MovingAverageKind.allCases {
                for (fast, slow) in [(1, 2), (2, 4), (5, 20), (4, 2)] {
                    let made = Indicators.crossover(prices, fastPeriod: fast, slowPeriod: slow, kind: kind)
                    let defined = ByDefinition.crossover(prices, fastPeriod: fast, slowPeriod: slow, kind: kind)
                    #expect(made.map(Bits.init) == defined.map(Bits.init), "\(kind) \(fast)/\(slow) of \(prices)")
                }
            }
        }
    }

    /// A crossover's four numbers as bits, so -0.0 and 0.0 (or two NaNs) are told apart.
    private struct Bits: Equatable {
        let values: [UInt64?]
        init(_ state: MovingAverageCrossover) {
            values = [state.fast.bitPattern, state.slow.bitPattern, state.previousFast?.bitPattern, state.previousSlow?.bitPattern]
        }
    }
}
