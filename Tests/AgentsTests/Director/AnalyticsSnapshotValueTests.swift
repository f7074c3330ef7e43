import Testing
import Trading
import WireFormat
import WireProtocol
@testable import Agents

/// A portfolio snapshot's amounts are exact sums of the venue's rows, not floating-point ones.
@Suite struct AnalyticsSnapshotValueTests {
    @Test func amountsAreExactSums() throws {
        // USD 0.1 (shared by both symbols, counted once) + 0.1 BTC at 0.2 + −0.3 ETH at 0.1: in
        // Doubles 0.1 + 0.02 − 0.03 is 0.09000000000000001; exactly it is 0.09.
        var btc = AnalyticsRecorderTests.row("BTC-USD", base: 0.1, quote: 0.1, mark: 0.2)
        btc.realizedPnl = 0.1
        var eth = AnalyticsRecorderTests.row("ETH-USD", base: -0.3, quote: 0.1, mark: 0.1)
        eth.realizedPnl = 0.2
        let snapshot = try #require(AnalyticsRecorder.valued(account: "desk", rows: [btc, eth], open: [], at: 7))
        #expect(snapshot.capital == Money(raw: 9_000_000))
        #expect(snapshot.cash == Money(raw: 10_000_000))
        #expect(snapshot.exposure == Money(raw: 5_000_000))
        #expect(snapshot.realizedPnl == Money(raw: 30_000_000))
        #expect(0.1 + 0.02 - 0.03 != 0.09, "the Double sum this test guards against")
    }

    @Test func anAccountWithoutPositiveCapitalIsNotValued() {
        let short = AnalyticsRecorderTests.row("BTC-USD", base: -1, quote: 50, mark: 60)
        #expect(AnalyticsRecorder.valued(account: "desk", rows: [short], open: [], at: 1) == nil)
        #expect(AnalyticsRecorder.valued(account: "other", rows: [short], open: [], at: 1) == nil)
    }
}
