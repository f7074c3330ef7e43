import Foundation
import Ledger
import Testing
import Trading
import VenueTesting

/// A venue that keeps only a few client order ids in memory, with its ledger as the archive of
/// the rest, answers exactly as one that keeps every id in memory.
@Suite struct ClientOrderArchiveTests {
    @Test func aBoundedVenueBackedByItsLedgerAnswersLikeAnUnboundedOne() throws {
        try withTemporaryDirectory { directory in
            var script = VenueScript(seed: 77)
            var reference = RecordedVenue(venue: try VenueScript.venue(), ledger: nil)
            let ledger = try LedgerStore(path: directory + "/ledger.sqlite")
            var bounded = RecordedVenue(venue: try VenueScript.venue(), ledger: ledger)
            try bounded.venue.keepClientOrders(inMemory: 16, archive: ledger)
            var retriesOfForgottenIds = 0
            for step in 0..<2_000 {
                let call = script.next(for: reference.venue)
                if case .submit(let request) = call, !request.clientOrderId.isEmpty,
                   reference.venue.rememberedResult(account: request.account, clientOrderId: request.clientOrderId) != nil,
                   bounded.venue.rememberedResult(account: request.account, clientOrderId: request.clientOrderId) == nil {
                    retriesOfForgottenIds += 1
                }
                let expected = try reference.perform(call, at: Int64(step))
                let actual = try bounded.perform(call, at: Int64(step))
                #expect(actual == expected, "step \(step): \(call)")
            }
            #expect(retriesOfForgottenIds > 20, "the script should retry ids the bounded venue forgot")
            #expect(bounded.venue.snapshot().rememberedResults.count <= 16)
            #expect(bounded.venue.positions == reference.venue.positions)
            #expect(bounded.venue.ordersSubmitted == reference.venue.ordersSubmitted)
        }
    }

    @Test func theLedgerAnswersWithTheFirstResultOfAnIdAndNothingForAnUnknownOne() throws {
        try withTemporaryDirectory { directory in
            let ledger = try LedgerStore(path: directory + "/ledger.sqlite")
            var recorded = RecordedVenue(venue: try VenueScript.venue(), ledger: ledger)
            try recorded.perform(.quote("BTC-USD", MarketQuote(bid: 59_990, ask: 60_010, last: 60_000)), at: 1)
            let request = OrderRequest(clientOrderId: "first", account: "mm", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.01)
            guard case .result(let first) = try recorded.perform(.submit(request), at: 2) else {
                Issue.record("a submit gives a result"); return
            }
            #expect(try ledger.firstResult(account: "mm", clientOrderId: "first") == first)
            #expect(try ledger.firstResult(account: "shorty", clientOrderId: "first") == nil)
            #expect(try ledger.firstResult(account: "mm", clientOrderId: "never") == nil)
        }
    }
}
