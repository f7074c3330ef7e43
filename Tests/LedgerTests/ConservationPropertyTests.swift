import Foundation
import Ledger
import Testing
@testable import Trading
import VenueTesting

/// Conservation, exactly: over seeded random streams of market and limit orders, part fills,
/// cancels, replaces, client-id retries and bad orders on two accounts and two symbols that
/// share one quote asset (one with fees rounded up to cents), every balance per asset equals
/// its starting balance plus the signed fills minus the fees, compared with `==`; and the
/// ledger, read back from SQLite, replays to the very same numbers and restores the very
/// same venue. The account that shorts is a margin account and both symbols pay funding
/// every second, so the balances are start + signed fills − fees + funding.
@Suite struct ConservationPropertyTests {
    @Test(arguments: [UInt64(3), 17, 2_026])
    func balancesAreStartPlusSignedFillsMinusFeesExactly(seed: UInt64) throws {
        try withTemporaryDirectory { directory in
            let ledger = try LedgerStore(path: directory + "/ledger.sqlite")
            var script = VenueScript(seed: seed)
            var recorded = RecordedVenue(venue: try VenueScript.perpetualVenue(), ledger: ledger)
            var fills: [Fill] = []
            var funding: [FundingPayment] = []
            var seenOrders = Set<String>()
            for step in 0..<1_200 {
                // 0.1 s apart: 120 s of venue time, a funding time every second.
                let time = 1_700_000_000_000_000 + Int64(step) * 100_000
                let outcome = try recorded.perform(script.next(for: recorded.venue), at: time)
                funding += try recorded.settleFunding(at: time)
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
                let pair = try #require(VenueScript.pairs[fill.symbol])
                let base = AssetKey(account: fill.account, asset: pair.base), quote = AssetKey(account: fill.account, asset: pair.quote)
                let notional = AssetAmount(raw: try fill.price.notional(fill.qty).raw)
                let qty = AssetAmount(raw: fill.qty.raw), fee = AssetAmount(raw: fill.fee.raw)
                switch fill.side {
                case .buy:
                    expected[base]! += qty
                    expected[quote]! -= notional + fee
                case .sell:
                    expected[base]! -= qty
                    expected[quote]! += notional - fee
                }
                fees[PositionKey(account: fill.account, symbol: fill.symbol), default: 0] += fill.fee
            }
            for payment in funding { expected[AssetKey(account: payment.account, asset: payment.asset)]! += AssetAmount(raw: payment.amount.raw) }
            #expect(Set(funding.map(\.symbol)) == ["BTC-USD", "ETH-USD"], "both symbols paid funding")
            #expect(funding.contains { $0.amount.isNegative } && funding.contains { $0.amount.isPositive })
            #expect(funding.allSatisfy { $0.account == "shorty" }, "only the margin account pays funding")
            #expect(try ledger.funding() == funding, "the ledger holds every payment")
            // Both symbols spent and received the one USD balance of each account.
            #expect(Set(fills.map(\.symbol)) == ["BTC-USD", "ETH-USD"])
            for (key, amount) in expected {
                #expect(venue.balance(account: key.account, asset: key.asset) == amount, "\(key.account) \(key.asset)")
            }
            for (key, fee) in fees {
                let position = try #require(venue.position(account: key.account, symbol: key.symbol))
                #expect(position.feesPaid == fee, "\(key.account) \(key.symbol) fees")
            }

            // Fees are rounded up to the symbol's quote step, so each BTC-USD fee is whole cents.
            #expect(fills.filter { $0.symbol == "BTC-USD" }.allSatisfy { $0.fee.isMultiple(of: 0.01) })

            // The ledger's fills, replayed from the starting balances, give the same numbers.
            let replayed = try ledger.replayBalances(initial: VenueScript.initialBalances, pairs: VenueScript.pairs)
            #expect(replayed == expected, "replayed balances")
            // And the balances the ledger stored for every account are those numbers too.
            #expect(try ledger.balances() == expected, "stored balances")
            // And a venue restored from the ledger is the venue that wrote it.
            var restored = try VenueScript.perpetualVenue()
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
