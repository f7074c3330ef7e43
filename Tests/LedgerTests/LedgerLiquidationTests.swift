import Foundation
import Ledger
import Testing
import Trading
import VenueTesting

/// A liquidation journalled as the MarketMaker does it — each cancelled resting order, then the
/// reduce-only order, all from the one mark taken before — restores to the venue that wrote it,
/// with the cancelled order gone from the book, and funding rows written beside it replay.
@Suite struct LedgerLiquidationTests {
    @Test func aLiquidationWithItsCancelsRestoresToTheSameVenue() throws {
        try withTemporaryDirectory { directory in
            let ledger = try LedgerStore(path: directory + "/ledger.sqlite")
            let perp = AccountConfig(name: "perp", balances: ["USD": 10_000], allowShort: true, margin: MarginTerms(maxLeverage: 5))
            let rules = ["BTC-USD": SymbolRules(quoteStep: 0.01, funding: FundingTerms(intervalSeconds: 1, rateBps: 10))]
            func makeVenue() throws -> SimulatedVenue {
                try SimulatedVenue(config: VenueConfig(), accounts: [perp], symbols: ["BTC-USD"], rules: rules)
            }
            var recorded = RecordedVenue(venue: try makeVenue(), ledger: ledger)
            try recorded.perform(.quote("BTC-USD", MarketQuote(bid: 59_990, ask: 60_010, last: 60_000)), at: 1_000_000)
            #expect(try recorded.settleFunding(at: 1_000_000).isEmpty)
            try recorded.perform(.submit(OrderRequest(clientOrderId: "short", account: "perp", symbol: "BTC-USD", side: .sell,
                                                      type: .market, qty: 0.8)), at: 1_100_000)
            try recorded.perform(.submit(OrderRequest(clientOrderId: "rest", account: "perp", symbol: "BTC-USD", side: .buy,
                                                      type: .limit, qty: 0.1, limitPrice: 50_000)), at: 1_200_000)
            // Short 0.8 at mark 60,000 and 10 bps: credited 48,000 × 0.001 = 48; USD 57,944 + 48 = 57,992,
            // so at mid 72,200 equity 57,992 − 57,760 = 232 < maintenance 288.8.
            let funding = try recorded.settleFunding(at: 2_000_000)
            #expect(funding.map(\.amount) == [48])
            try recorded.perform(.quote("BTC-USD", MarketQuote(bid: 72_190, ask: 72_210, last: 72_200)), at: 2_100_000)

            let mark = LedgerMark(&recorded.venue)
            let next = recorded.venue.liquidateNext(at: 2_100_000)
            let liquidation = try #require(next)
            #expect(liquidation.cancelled.count == 1)
            for cancelled in liquidation.cancelled {
                try ledger.record(LedgerBatch(.cancel(orderId: cancelled.orderId, result: cancelled), venue: recorded.venue, since: mark, at: 2_100_000))
            }
            try ledger.record(LedgerBatch(.submit(liquidation.request, liquidation.result), venue: recorded.venue, since: mark, at: 2_100_000))

            var restored = try makeVenue()
            try restored.restore(try ledger.venueSnapshot())
            var expected = recorded.venue.snapshot()
            expected.quotes = [:]
            expectSameState(restored.snapshot(), expected)
            #expect(restored.openOrders.isEmpty, "the cancelled order does not come back")
            let replayed = try ledger.replayBalances(initial: [AssetKey(account: "perp", asset: "USD"): 10_000, AssetKey(account: "perp", asset: "BTC"): 0],
                                                     pairs: ["BTC-USD": AssetPair(base: "BTC", quote: "USD")])
            let stored = try ledger.balances()
            #expect(replayed == recorded.venue.balances && replayed == stored)
        }
    }
}
