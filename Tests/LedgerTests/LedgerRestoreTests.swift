import Foundation
import Ledger
import Testing
import Trading
import VenueTesting

/// A restart through the file: record a run, restore a fresh venue from the ledger, and
/// check that it carries on exactly as the venue that never stopped.
@Suite struct LedgerRestoreTests {
    @Test(arguments: [21, 22] as [UInt64])
    func venueRestoredFromTheFileContinuesExactlyAsTheOriginal(seed: UInt64) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            var script = VenueScript(seed: seed)
            var original = RecordedVenue(venue: try VenueScript.venue(), ledger: try LedgerStore(path: path))
            // Run until the book holds what makes restoring hard: several orders, one part filled.
            var step = 0
            while step < 400 || !VenueScript.isDemanding(original.venue) {
                guard step < 5_000 else { Issue.record("no demanding book within 5000 steps"); return }
                try original.perform(script.next(for: original.venue), at: Int64(step))
                step += 1
            }

            // The "crash": the original goes on unrecorded as the reference; a new store on
            // the same file restores a fresh venue, which records from here on.
            original.ledger = nil
            let ledger = try LedgerStore(path: path)
            var restarted = RecordedVenue(venue: try VenueScript.venue(), ledger: ledger)
            try restarted.venue.restore(ledger.venueSnapshot())
            var expected = original.venue.snapshot()
            expected.quotes = [:]
            expectSameState(restarted.venue.snapshot(), expected)
            #expect(restarted.venue.openOrders == original.venue.openOrders)

            // The ledger keeps no quotes, so both get the next touch of every symbol first.
            var calls = VenueScript.symbols.map { script.quote($0) }
            for step in step..<step + 400 {
                let call = calls.isEmpty ? script.next(for: original.venue) : calls.removeFirst()
                let reference = try original.perform(call, at: Int64(step))
                let outcome = try restarted.perform(call, at: Int64(step))
                #expect(outcome == reference, "step \(step): \(call)")
                guard outcome == reference else { break }
            }
            #expect(restarted.venue.positions == original.venue.positions)

            // The file now holds both halves: a second restart still matches, and replaying
            // every fill from the starting balances gives the same holdings.
            var again = try VenueScript.venue()
            try again.restore(ledger.venueSnapshot())
            expected = original.venue.snapshot()
            expected.quotes = [:]
            expectSameState(again.snapshot(), expected)
            let replayed = try ledger.replayBalances(initial: VenueScript.initialBalances, pairs: VenueScript.pairs)
            #expect(replayed == original.venue.balances)
        }
    }

    @Test func replayedBalancesEqualStoredBalancesAfterARandomStream() throws {
        try withTemporaryDirectory { directory in
            let ledger = try LedgerStore(path: directory + "/ledger.sqlite")
            var script = VenueScript(seed: 31)
            var recorded = RecordedVenue(venue: try VenueScript.venue(), ledger: ledger)
            for step in 0..<600 { try recorded.perform(script.next(for: recorded.venue), at: Int64(step)) }
            let fills = try ledger.fills()
            #expect(fills.count > 100)

            let replayed = try ledger.replayBalances(initial: VenueScript.initialBalances, pairs: VenueScript.pairs)
            let stored = try ledger.balances()
            #expect(stored.count == 6, "two accounts × three assets")
            #expect(replayed == stored)
            #expect(replayed == recorded.venue.balances)
            // The replay really uses the starting balances, not the stored ones.
            var richer = VenueScript.initialBalances
            richer[AssetKey(account: "mm", asset: "USD")]! += 1_000
            let shifted = try ledger.replayBalances(initial: richer, pairs: VenueScript.pairs)
            #expect(shifted[AssetKey(account: "mm", asset: "USD")] == stored[AssetKey(account: "mm", asset: "USD")]! + 1_000)
            // Each fill row carries its account's balances of the symbol's two assets right
            // after it: the last fill of an account is its stored balance of those assets.
            var last: [String: LedgerEvent] = [:]
            for fill in try ledger.events() where fill.kind == .fill { last[fill.account] = fill }
            for (account, fill) in last {
                let pair = try #require(VenueScript.pairs[fill.symbol])
                #expect(fill.base.map { AssetAmount(raw: $0.raw) } == stored[AssetKey(account: account, asset: pair.base)], "\(account)")
                #expect(fill.quote.map { AssetAmount(raw: $0.raw) } == stored[AssetKey(account: account, asset: pair.quote)], "\(account)")
            }
        }
    }

    @Test func retriedClientOrderIdsReplayTheRecordedResultAfterRestart() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            var first = RecordedVenue(venue: try VenueScript.venue(), ledger: try LedgerStore(path: path))
            try first.perform(.quote("ETH-USD", MarketQuote(bid: 2_999, ask: 3_001, last: 3_000)), at: 1)
            let requests = [
                OrderRequest(clientOrderId: "rest", account: "mm", symbol: "ETH-USD", side: .buy, type: .limit, qty: 1, limitPrice: 2_990),
                OrderRequest(clientOrderId: "take", account: "mm", symbol: "ETH-USD", side: .sell, type: .market, qty: 2),
                OrderRequest(clientOrderId: "poor", account: "shorty", symbol: "ETH-USD", side: .buy, type: .market, qty: 1_000),
                OrderRequest(clientOrderId: "bad", account: "mm", symbol: "ETH-USD", side: .buy, type: .market, qty: 0),
            ]
            var answers: [OrderResult] = []
            for request in requests {
                guard case .result(let result?) = try first.perform(.submit(request), at: 2) else { Issue.record("no result"); return }
                answers.append(result)
            }
            #expect(answers.map(\.status) == [.open, .filled, .rejected, .rejected])
            // A replace keeps the client id but is not what a retry replays.
            try first.perform(.replace("O-1", qty: nil, price: 2_991), at: 3)
            let count = first.venue.ordersSubmitted

            let ledger = try LedgerStore(path: path)
            var restarted = try VenueScript.venue()
            try restarted.restore(ledger.venueSnapshot())
            for (request, answer) in zip(requests, answers) {
                let replayed = restarted.submit(request, at: 9)
                // NaN ≠ NaN, so results are compared through their text.
                #expect("\(replayed)" == "\(answer)")
                let stored = try ledger.rememberedResult(account: request.account, clientOrderId: request.clientOrderId)
                #expect(stored.map { "\($0)" } == "\(answer)")
            }
            #expect(restarted.ordersSubmitted == count)
            #expect(restarted.openOrders.map(\.orderId) == ["O-5"])
            #expect(restarted.openOrders.first?.limitPrice == 2_991)
            #expect(try ledger.status(ofOrder: "O-1") == .cancelled)
        }
    }

    @Test func aSymbolsFirstQuoteValuesStartingBaseInTheLedger() throws {
        try withTemporaryDirectory { directory in
            let ledger = try LedgerStore(path: directory + "/ledger.sqlite")
            var recorded = RecordedVenue(venue: try VenueScript.venue(), ledger: ledger)
            try recorded.perform(.quote("BTC-USD", MarketQuote(bid: 59_990, ask: 60_010, last: 60_000)), at: 1)
            var restarted = try VenueScript.venue()
            try restarted.restore(ledger.venueSnapshot())
            #expect(restarted.position(account: "mm", symbol: "BTC-USD")?.averageEntryPrice == 60_000)
            #expect(try ledger.events().isEmpty)
        }
    }
}
