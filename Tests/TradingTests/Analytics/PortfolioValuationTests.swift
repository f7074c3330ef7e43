import Testing
@testable import Trading

@Suite struct PortfolioValuationTests {
    let book = PortfolioSnapshot(capital: 10_000, cash: 6_000, positions: [
        OpenTrade(symbol: "BTC-USD", side: .buy, qty: 2, entryPrice: 1000, stopPrice: 900, leverage: 2),
        OpenTrade(symbol: "ETH-USD", side: .sell, qty: 10, entryPrice: 100, stopPrice: 110),
    ])

    @Test func valuesAtTheMarks() throws {
        let value = try #require(book.valuation(marks: ["BTC-USD": 1100, "ETH-USD": 90], realizedPnl: 50, initialCapital: 9_650))
        // exposure 2 × 1100 + 10 × 90 = 3100 → 31 %
        #expect(value.exposure == 3100 && value.exposurePct == 0.31 && value.openPositions == 2)
        // unrealized: long (1100 − 1000) × 2 = 200; short (100 − 90) × 10 = 100
        #expect(value.unrealizedPnl == 300 && value.realizedPnl == 50 && value.totalPnl == 350)
        #expect(close(try #require(value.totalReturnPct), 350.0 / 9_650, 1e-12))
        // heat (2 × 100 + 10 × 10) / 10 000; margin (2000 / 2 + 1000) / 10 000
        #expect(value.portfolioHeat == 0.03 && value.marginUsage == 0.2)
        #expect(value.capital == 10_000 && value.cash == 6_000 && value.unmarkedSymbols.isEmpty)
    }

    @Test func aMissingMarkFallsBackToEntryAndIsNamed() throws {
        let value = try #require(book.valuation(marks: ["BTC-USD": 1100, "ETH-USD": 0], realizedPnl: 0))
        #expect(value.exposure == 2200 + 1000 && value.unrealizedPnl == 200)
        #expect(value.unmarkedSymbols == ["ETH-USD"] && value.totalReturnPct == nil)
    }

    @Test func unusableSnapshotsGiveNil() {
        #expect(PortfolioSnapshot(capital: 0, cash: 0).valuation(marks: [:], realizedPnl: 0) == nil)
        // A sum past the range gives nil rather than a wrapped or trapped value.
        let huge = PortfolioSnapshot(capital: 10_000, cash: 0, positions: [
            OpenTrade(symbol: "A", side: .buy, qty: 1_000_000, entryPrice: 1, stopPrice: 0.5),
            OpenTrade(symbol: "B", side: .buy, qty: 1_000_000, entryPrice: 1, stopPrice: 0.5)])
        #expect(huge.valuation(marks: ["A": 90_000, "B": 90_000], realizedPnl: 0) == nil)
    }
}
