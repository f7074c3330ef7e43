import Testing
import Trading
@testable import Agents

/// The analyst's reading of a symbol is made once per new price and reused until the next one.
@Suite struct PriceHistoryReadingTests {
    private let builder = QuantReportBuilder(fastPeriod: 3, slowPeriod: 8, rsiPeriod: 5, atrPeriod: 5, levelWindow: 8, ticksPerBar: 1)

    @Test func aReadingIsKeptUntilTheSymbolsNextPriceAndAlwaysMatchesAFreshOne() async {
        let history = PriceHistory(capacity: 20)
        for index in 0..<25 { history.record(symbol: "BTC-USD", price: 100 + Double(index % 7)) }
        let first = history.reading(of: "BTC-USD", by: builder)
        #expect(history.readingsKept == 1)
        #expect(history.reading(of: "BTC-USD", by: builder) == first)

        // Another symbol's price leaves it; its own next price replaces it.
        history.record(symbol: "ETH-USD", price: 3_000)
        #expect(history.readingsKept == 1)
        history.record(symbol: "BTC-USD", price: 140)
        #expect(history.readingsKept == 0)
        let second = history.reading(of: "BTC-USD", by: builder)
        #expect(second != first)
        #expect(second == builder.build(prices: history.series(for: "BTC-USD")))
        #expect(second.lastPrice == 140)
    }

    @Test func symbolsWithoutPricesKeepNothing() async {
        let history = PriceHistory(capacity: 20)
        for index in 0..<100 { _ = history.reading(of: "NOPE-\(index)", by: builder) }
        #expect(history.readingsKept == 0)
    }
}
