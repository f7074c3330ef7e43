@testable import Agents
import AgentsTesting
import Testing
import WireFormat
import WireProtocol

/// `account.<name>` events list what changed since the account's previous event, numbered so a
/// reader applies them only to exactly that event's account (`AccountEventDeltas` on the
/// MarketMaker's side, `AccountEventChain` on a reader's).
struct AccountEventDeltaTests {
    static let epoch = "00000000000000a1"

    /// One row of `desk`: `base` of `symbol`'s base asset, `quote` of USD.
    static func row(_ symbol: String, base: WireDecimal, quote: WireDecimal, mark: WireDecimal = 100) -> PositionPayload {
        var row = PositionPayload(account: "desk", symbol: symbol, base: base, quote: quote, avgEntryPrice: 100, realizedPnl: 0,
                                  unrealizedPnl: 0, fees: 0, mark: mark)
        row.baseAsset = String(symbol.prefix { $0 != "-" })
        row.quoteAsset = "USD"
        return row
    }

    /// `desk`'s whole listing at `version`: BTC, ETH and SOL rows and their balances.
    static func listing(version: UInt64, btc: WireDecimal = 1, eth: WireDecimal = 2, sol: WireDecimal = 3, usd: WireDecimal = 1_000,
                        btcMark: WireDecimal = 100, epoch: String = epoch) -> InventorySnapshot {
        let rows = [row("BTC-USD", base: btc, quote: usd, mark: btcMark), row("ETH-USD", base: eth, quote: usd), row("SOL-USD", base: sol, quote: usd)]
        let balances = [("BTC", btc), ("ETH", eth), ("SOL", sol), ("USD", usd)].map {
            AssetBalancePayload(asset: $0.0, amount: $0.1, reserved: 0, available: $0.1)
        }
        return InventorySnapshot(positions: rows, accounts: [AccountPayload(account: "desk", balances: balances, version: version)],
                                 venueEpoch: epoch)
    }

    static func entry(_ snapshot: InventorySnapshot?) -> AccountPayload? { snapshot?.accounts?.first }

    @Test func theFirstEventIsWholeAndTheNextListOnlyTheRowsAndBalancesThatChanged() throws {
        let deltas = AccountEventDeltas(time: ManualTime())
        let first = try #require(deltas.outgoing(Self.listing(version: 1)))
        #expect(first.positions.count == 3 && Self.entry(first)?.balances.count == 4)
        #expect(Self.entry(first)?.sequence == 1 && Self.entry(first)?.sinceSequence == nil)
        // An order in BTC: its row, the BTC and USD balances; ETH's and SOL's rows only carry the
        // new USD balance as their quote, which the balances give, so they are left out.
        let second = try #require(deltas.outgoing(Self.listing(version: 2, btc: 1.5, usd: 950)))
        #expect(second.positions.map(\.symbol) == ["BTC-USD"])
        #expect(Self.entry(second)?.balances.map(\.asset) == ["BTC", "USD"])
        #expect(Self.entry(second)?.sequence == 2 && Self.entry(second)?.sinceSequence == 1 && Self.entry(second)?.version == 2)
        // A tick round at the same version: the re-marked row alone, numbered on.
        let third = try #require(deltas.outgoing(Self.listing(version: 2, btc: 1.5, usd: 950, btcMark: 101)))
        #expect(third.positions.map(\.symbol) == ["BTC-USD"] && Self.entry(third)?.balances.isEmpty == true)
        #expect(Self.entry(third)?.sequence == 3 && Self.entry(third)?.sinceSequence == 2)
    }

    @Test func anOlderVersionThanOnePublishedIsDroppedAndAnotherEpochStartsWhole() throws {
        let deltas = AccountEventDeltas(time: ManualTime())
        _ = deltas.outgoing(Self.listing(version: 5))
        #expect(deltas.outgoing(Self.listing(version: 4, btc: 9)) == nil, "a later version left already")
        let restarted = try #require(deltas.outgoing(Self.listing(version: 1, epoch: "00000000000000b2")))
        #expect(restarted.positions.count == 3 && Self.entry(restarted)?.sequence == 1 && Self.entry(restarted)?.sinceSequence == nil)
    }

    @Test func aWholeListingComesEveryFewEventsAfterAWhileAndWhenTheSymbolsChange() throws {
        let clock = ManualTime()
        let deltas = AccountEventDeltas(time: clock, wholeEvery: 3, wholeIntervalMicros: 1_000_000)
        func isWhole(_ snapshot: InventorySnapshot?) -> Bool { snapshot != nil && Self.entry(snapshot)?.sinceSequence == nil }
        #expect(isWhole(deltas.outgoing(Self.listing(version: 1))))
        #expect(!isWhole(deltas.outgoing(Self.listing(version: 2, btc: 2))))
        #expect(!isWhole(deltas.outgoing(Self.listing(version: 3, btc: 3))))
        #expect(isWhole(deltas.outgoing(Self.listing(version: 4, btc: 4))), "every third event")
        clock.advance(seconds: 0.5)
        #expect(!isWhole(deltas.outgoing(Self.listing(version: 5, btc: 5))))
        clock.advance(seconds: 0.5)
        #expect(isWhole(deltas.outgoing(Self.listing(version: 6, btc: 6))), "a second after the last whole one")
        var fewer = Self.listing(version: 7)
        fewer.positions.removeLast()
        #expect(isWhole(deltas.outgoing(fewer)), "a symbol fewer")
    }

    @Test func aReaderRebuildsTheWholeListingOnlyOnTheEventItFollows() throws {
        let deltas = AccountEventDeltas(time: ManualTime())
        var chain: AccountEventChain?
        func read(_ event: InventorySnapshot) -> InventorySnapshot? {
            guard let entry = Self.entry(event),
                  let read = AccountEventChain.applying(entry, rows: event.positions, epoch: event.venueEpoch, to: chain) else { return nil }
            chain = read.chain
            return read.snapshot
        }
        func numberless(_ snapshot: InventorySnapshot?) -> InventorySnapshot? {
            var snapshot = snapshot
            snapshot?.accounts?[0].sequence = nil
            return snapshot
        }
        let listings = [Self.listing(version: 1), Self.listing(version: 2, btc: 1.5, usd: 950), Self.listing(version: 3, eth: 1, usd: 1_050),
                        Self.listing(version: 3, eth: 1, usd: 1_050, btcMark: 99)]
        for listing in listings {
            let event = try #require(deltas.outgoing(listing))
            #expect(numberless(read(event)) == listing, "every row's quote is the USD balance again")
        }
        // An event lost on the way: the next one does not follow what the reader holds.
        _ = deltas.outgoing(Self.listing(version: 4, sol: 4, usd: 1_000))
        let afterTheLoss = try #require(deltas.outgoing(Self.listing(version: 5, sol: 5, usd: 990)))
        #expect(read(afterTheLoss) == nil)
        // Nor one of another epoch, or to a reader that holds nothing yet.
        let numbered = try #require(Self.entry(afterTheLoss))
        #expect(AccountEventChain.applying(numbered, rows: afterTheLoss.positions, epoch: "00000000000000c3", to: chain) == nil)
        #expect(AccountEventChain.applying(numbered, rows: afterTheLoss.positions, epoch: Self.epoch, to: nil) == nil)
    }
}

/// `PositionPayload.sameBesideQuote` compares every field but `quote`.
struct PositionRowComparisonTests {
    @Test func everyFieldButTheQuoteBalanceTellsTwoRowsApart() {
        var row = AccountEventDeltaTests.row("BTC-USD", base: 1, quote: 1_000)
        row.pendingBuy = 0.5
        row.pendingSell = 0.25
        row.effectiveInventory = 1.25
        row.maxInventory = 3
        row.overLimit = false
        row.hedgeSuggestion = "sell 1"
        // A field added to the row must be compared too: this count says which were checked.
        #expect(Mirror(reflecting: row).children.count == 17, "update sameBesideQuote and the changes below")
        var quoteOnly = row
        quoteOnly.quote = 2_000
        #expect(row.sameBesideQuote(quoteOnly) && quoteOnly.sameBesideQuote(row))
        let changes: [(inout PositionPayload) -> Void] = [
            { $0.account = "other" }, { $0.symbol = "ETH-USD" }, { $0.base = 2 }, { $0.baseAsset = "ETH" }, { $0.quoteAsset = "EUR" },
            { $0.avgEntryPrice = 101 }, { $0.realizedPnl = 1 }, { $0.unrealizedPnl = 1 }, { $0.fees = 1 }, { $0.mark = 99 },
            { $0.pendingBuy = nil }, { $0.pendingSell = 1 }, { $0.effectiveInventory = 2 }, { $0.maxInventory = nil },
            { $0.overLimit = true }, { $0.hedgeSuggestion = nil },
        ]
        for (index, change) in changes.enumerated() {
            var changed = row
            change(&changed)
            #expect(!row.sameBesideQuote(changed), "field change \(index)")
        }
    }
}
