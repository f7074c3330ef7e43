import Testing
@testable import Trading

@Suite struct PriceProcessTests {
    @Test func firstQuoteIsStartPriceWithSpread() throws {
        // half spread = 100 × 20 / 20000 = 0.10 → bid 99.90, ask 100.10, last 100.00
        let process = try PriceProcess(config: PriceProcessConfig(startPrice: 100, spreadBps: 20), seed: 1)
        #expect(process.current == MarketQuote(bid: 99.90, ask: 100.10, last: 100.00))
    }

    @Test func zeroVolatilityFollowsTheDriftExactly() throws {
        // σ = 0, μ = 0.1, step = one 365-day year → dt = 1, mid = 100 · e^0.1 per step.
        let config = PriceProcessConfig(
            startPrice: 100, drift: 0.1, volatility: 0, tickSize: 0.01, spreadBps: 20, stepSeconds: 31_536_000)
        var process = try PriceProcess(config: config, seed: 9)
        // mid 110.517092; ± 0.1105171 → bid 110.406575 ↓ 110.40, ask 110.627609 ↑ 110.63, last 110.52
        #expect(process.next() == MarketQuote(bid: 110.40, ask: 110.63, last: 110.52))
        #expect(close(process.mid, 110.51709180756477, 1e-12))
        // mid 100 · e^0.2 = 122.140276; bid 122.018136 ↓ 122.01, ask 122.262416 ↑ 122.27
        #expect(process.next() == MarketQuote(bid: 122.01, ask: 122.27, last: 122.14))
    }

    @Test func stepLengthIsAFractionOfA365DayYear() throws {
        // dt = 3600 / 31 536 000 = 1.1415525e-4; ten steps at μ = 0.5:
        // mid = 100 · exp(0.5 · 10 · dt) = 100.0570939179
        let config = PriceProcessConfig(startPrice: 100, drift: 0.5, volatility: 0, stepSeconds: 3600)
        var process = try PriceProcess(config: config, seed: 3)
        for _ in 0..<10 { _ = process.next() }
        #expect(close(process.mid, 100.0570939179471, 1e-12))
    }

    @Test func volatilityMatchesSigmaRootDt() throws {
        // σ√dt = 0.8 · √(60 / 31 536 000) = 0.00110347 per step.
        let config = PriceProcessConfig(startPrice: 60_000, drift: 0, volatility: 0.8, stepSeconds: 60)
        var process = try PriceProcess(config: config, seed: 11)
        let mids = (0..<20_000).map { _ in _ = process.next(); return process.mid }
        let measured = try #require(Indicators.realizedVolatility(mids))
        #expect(abs(measured / 0.0011034745181364906 - 1) < 0.03)
    }

    @Test func logDriftCarriesTheItoCorrection() throws {
        // One one-year step per seed: ln(mid / start) ~ N((μ − σ²/2)·1, σ²).
        // μ = 0.1, σ = 0.5 → mean 0.1 − 0.125 = −0.025 (0.1 without the correction),
        // standard error over 20000 seeds 0.5 / √20000 = 0.0035.
        let config = PriceProcessConfig(startPrice: 100, drift: 0.1, volatility: 0.5, stepSeconds: 31_536_000)
        var logReturns: [Double] = []
        for seed in UInt64(0)..<20_000 {
            var process = try PriceProcess(config: config, seed: seed)
            _ = process.next()
            logReturns.append(Indicators.logReturns([100, process.mid])[0])
        }
        let mean = logReturns.reduce(0, +) / Double(logReturns.count)
        #expect(abs(mean - -0.025) < 0.012)
        #expect(abs(try #require(Indicators.standardDeviation(logReturns)) - 0.5) < 0.015)
    }

    @Test func quotesStayOnTheTickGridWithAtLeastOneTickOfSpread() throws {
        let config = PriceProcessConfig(startPrice: 50, volatility: 2, tickSize: 0.05, spreadBps: 0, stepSeconds: 600)
        var process = try PriceProcess(config: config, seed: 21)
        for _ in 0..<2000 {
            let quote = process.next()
            for price in [quote.bid, quote.ask, quote.last] {
                let ticks = price / 0.05
                #expect(abs(ticks - ticks.rounded()) < 1e-6)
            }
            #expect(quote.ask >= quote.bid + 0.05 - 1e-9)
            #expect(quote.bid <= quote.last && quote.last <= quote.ask)
        }
    }

    @Test func zeroSpreadStillLeavesOneTick() throws {
        let process = try PriceProcess(config: PriceProcessConfig(startPrice: 100, spreadBps: 0), seed: 1)
        #expect(process.current == MarketQuote(bid: 100.00, ask: 100.01, last: 100.00))
    }

    @Test func bidNeverFallsBelowOneTick() throws {
        // mid 0.004 rounds down to 0.00, which would let sells fill for nothing.
        let process = try PriceProcess(config: PriceProcessConfig(startPrice: 0.004, spreadBps: 0), seed: 1)
        #expect(process.current.bid == 0.01)
        #expect(process.current.ask == 0.02)
    }

    @Test func sameSeedSameQuotesDifferentSeedDifferentQuotes() throws {
        let config = PriceProcessConfig(startPrice: 60_000, drift: 0.1, volatility: 0.6)
        var a = try PriceProcess(config: config, seed: 77)
        var b = try PriceProcess(config: config, seed: 77)
        var c = try PriceProcess(config: config, seed: 78)
        let first = (0..<500).map { _ in a.next() }
        #expect(first == (0..<500).map { _ in b.next() })
        #expect(first != (0..<500).map { _ in c.next() })
    }

    @Test(arguments: [
        PriceProcessConfig(startPrice: 0),
        PriceProcessConfig(startPrice: -5),
        PriceProcessConfig(startPrice: .nan),
        PriceProcessConfig(startPrice: 100, drift: .infinity),
        PriceProcessConfig(startPrice: 100, volatility: -0.1),
        PriceProcessConfig(startPrice: 100, tickSize: 0),
        PriceProcessConfig(startPrice: 100, spreadBps: .nan),
        PriceProcessConfig(startPrice: 100, stepSeconds: .infinity),
    ])
    func rejectsInvalidConfig(_ config: PriceProcessConfig) {
        let error = #expect(throws: TradingError.self) { try PriceProcess(config: config, seed: 1) }
        #expect(error?.code == .invalidConfig)
    }
}
