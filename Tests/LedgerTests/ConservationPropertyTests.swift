import Foundation
import Ledger
import Testing
@testable import Trading
import VenueTesting

/// Conservation, exactly: over seeded random streams of market and limit orders, part fills,
/// cancels, replaces, client-id retries and bad orders on two accounts and two symbols (one
/// with fees rounded up to cents), every balance equals its starting balance plus the signed
/// fills minus the fees, compared with `==`; and the ledger, read back from SQLite, replays
/// to the very same numbers and restores the very same venue.
@Suite struct ConservationPropertyTests {
    @Test(arguments: [UInt64(3), 17, 2_026])
    func balancesAreStartPlusSignedFillsMinusFeesExactly(seed: UInt64) throws {
        try withTemporaryDirectory { directory in
            let ledger = try LedgerStore(path: directory + "/ledger.sqlite")
            var script = VenueScript(seed: seed)
            var recorded = RecordedVenue(venue: try VenueScript.venue(), ledger: ledger)
            var fills: [Fill] = []
            var seenOrders = Set<String>()
            for step in 0..<1_200 {
                let outcome = try recorded.perform(script.next(for: recorded.venue), at: 1_700_000_000_000_000 + Int64(step) * 1_000)
                switch outcome {
                case .fills(let quoteFills): fills += quoteFills
                case .result(let result?):
                    // A retried client order id returns the first result again and trades nothing.
                    if seenOrders.insert(result.orderId).inserted { fills += result.fills }
                case .result(nil): break
                }
            }
            let venue = recorded.venue
            #expect(fills.count > 100, "the stream should trade")
            #expect(fills.contains { $0.fee.isPositive && $0.symbol == "BTC-USD" })
            #expect(venue.openOrders.contains { $0.filledQty.isPositive } || fills.count > 200)

            var expected = VenueScript.initialBalances
            var fees: [PositionKey: Money] = [:]
            for fill in fills {
                let key = PositionKey(account: fill.account, symbol: fill.symbol)
                let notional = try fill.price.notional(fill.qty)
                switch fill.side {
                case .buy:
                    expected[key]!.base += fill.qty
                    expected[key]!.quote -= notional + fill.fee
                case .sell:
                    expected[key]!.base -= fill.qty
                    expected[key]!.quote += notional - fill.fee
                }
                fees[key, default: 0] += fill.fee
            }
            for (key, balance) in expected {
                let position = try #require(venue.position(account: key.account, symbol: key.symbol))
                #expect(position.base == balance.base, "\(key.account) \(key.symbol) base")
                #expect(position.quote == balance.quote, "\(key.account) \(key.symbol) quote")
                #expect(position.feesPaid == fees[key, default: 0], "\(key.account) \(key.symbol) fees")
            }

            // Fees are rounded up to the symbol's quote step, so each BTC-USD fee is whole cents.
            #expect(fills.filter { $0.symbol == "BTC-USD" }.allSatisfy { $0.fee.isMultiple(of: 0.01) })

            // The ledger's fills, replayed from the starting balances, give the same numbers.
            let replayed = try ledger.replayBalances(initial: VenueScript.initialBalances)
            for (key, balance) in expected {
                #expect(replayed[key] == balance, "\(key.account) \(key.symbol) replayed")
            }
            // And a venue restored from the ledger is the venue that wrote it.
            var restored = try VenueScript.venue()
            try restored.restore(try ledger.venueSnapshot())
            expectSameState(restored.snapshot(), Self.withoutQuotes(venue.snapshot()))
        }
    }

    /// The ledger keeps no quotes; a restored venue waits for the next one.
    static func withoutQuotes(_ snapshot: VenueSnapshot) -> VenueSnapshot {
        var copy = snapshot
        copy.quotes = [:]
        return copy
    }
}
