import Testing
import Trading
import VenueTesting

/// `SimulatedVenue.changes`: what a journal reads instead of comparing every record of every
/// account. Each changed slot is noted once, with its value before the first change, from
/// `startChanges()` on.
@Suite struct VenueSlotChangesTests {
    static let btc = MarketQuote(bid: 59_990, ask: 60_010, last: 60_000)
    static let eth = MarketQuote(bid: 2_999, ask: 3_001, last: 3_000)

    static func quotedVenue() throws -> SimulatedVenue {
        var venue = try VenueScript.venue()
        _ = venue.updateQuote(symbol: "BTC-USD", quote: btc, at: 1)
        _ = venue.updateQuote(symbol: "ETH-USD", quote: eth, at: 1)
        return venue
    }

    static func noted(_ venue: SimulatedVenue) -> (records: [Int], balances: [Int]) {
        (venue.changes.records.map(\.slot), venue.changes.balances.map(\.slot))
    }

    @Test func nothingIsNotedBeforeAJournalStarts() throws {
        var venue = try Self.quotedVenue()
        #expect(venue.submit(order(.buy, 0.1, account: "mm", id: "a"), at: 2).status == .filled)
        #expect(venue.changes.records.isEmpty && venue.changes.balances.isEmpty)
    }

    @Test func fillsNoteTheirRecordAndTwoBalancesOnceWithTheValuesBefore() throws {
        var venue = try Self.quotedVenue()
        let btc = try #require(venue.slots(account: "mm", symbol: "BTC-USD"))
        let eth = try #require(venue.slots(account: "mm", symbol: "ETH-USD"))
        let records = venue.tradingRecordSlots, balances = venue.balanceSlots
        venue.startChanges()
        #expect(venue.submit(order(.buy, 0.1, account: "mm", id: "a"), at: 2).status == .filled)
        #expect(venue.submit(order(.buy, 0.2, account: "mm", id: "b"), at: 3).status == .filled)
        #expect(Self.noted(venue).records == [btc.record])
        #expect(Self.noted(venue).balances == [btc.base, btc.quote])
        #expect(venue.submit(order(.sell, 1, symbol: "ETH-USD", account: "mm", id: "c"), at: 4).status == .filled)
        // USD moved again: still noted once, with its value before the first buy.
        #expect(Self.noted(venue).records == [btc.record, eth.record])
        #expect(Self.noted(venue).balances == [btc.base, btc.quote, eth.base])
        #expect(venue.changes.records.allSatisfy { records[$0.slot] == $0.before })
        #expect(venue.changes.balances.allSatisfy { balances[$0.slot] == $0.before })
        #expect(venue.changes.records.allSatisfy { venue.tradingRecord(slot: $0.slot) != $0.before })
        // Every slot not noted is as it was.
        let moved = Set(Self.noted(venue).records)
        #expect(records.indices.filter { !moved.contains($0) }.allSatisfy { venue.tradingRecord(slot: $0) == records[$0] })
        let movedBalances = Set(Self.noted(venue).balances)
        #expect(balances.indices.filter { !movedBalances.contains($0) }.allSatisfy { venue.balance(slot: $0) == balances[$0] })

        venue.startChanges()
        #expect(venue.changes.records.isEmpty && venue.changes.balances.isEmpty)
        let refused = venue.submit(order(.buy, 1_000, account: "mm", id: "d"), at: 5)
        #expect(refused.status == .rejected)
        #expect(venue.changes.records.isEmpty && venue.changes.balances.isEmpty, "a rejection moves nothing")
    }

    @Test func aFirstQuoteNotesTheStartingBaseItValues() throws {
        var venue = try VenueScript.venue()
        let held = try #require(venue.slots(account: "mm", symbol: "BTC-USD"))
        let before = venue.tradingRecord(slot: held.record)
        #expect(before.averageEntryPrice == 0 && before.base == 1)
        venue.startChanges()
        _ = venue.updateQuote(symbol: "BTC-USD", quote: Self.btc, at: 1)
        // "shorty" holds no BTC, so only "mm"'s record is valued; no balance moves.
        #expect(Self.noted(venue).records == [held.record])
        #expect(venue.changes.records.first?.before == before)
        #expect(venue.tradingRecord(slot: held.record).averageEntryPrice == 60_000)
        #expect(venue.changes.balances.isEmpty)
    }

    @Test func fundingNotesThePositionAndBalanceItCredits() throws {
        var venue = try VenueScript.perpetualVenue()
        _ = venue.updateQuote(symbol: "BTC-USD", quote: Self.btc, at: 1)
        #expect(venue.submit(order(.sell, 0.5, account: "shorty", id: "s"), at: 2).status == .filled)
        #expect(venue.settleFunding(at: 2).payments.isEmpty, "the first settlement starts the clock")
        let short = try #require(venue.slots(account: "shorty", symbol: "BTC-USD"))
        let record = venue.tradingRecord(slot: short.record), usd = venue.balance(slot: short.quote)
        venue.startChanges()
        let paid = venue.settleFunding(at: 1_000_002).payments
        #expect(paid.map(\.account) == ["shorty"])
        #expect(Self.noted(venue).records == [short.record] && Self.noted(venue).balances == [short.quote])
        #expect(venue.changes.records.first?.before == record && venue.changes.balances.first?.before == usd)
        #expect(venue.balance(slot: short.quote) == usd + AssetAmount(raw: paid[0].amount.raw))
    }

    @Test func aRestoreForgetsTheChangesAndNotesNoMoreUntilStarted() throws {
        var traded = try Self.quotedVenue()
        #expect(traded.submit(order(.buy, 0.1, account: "mm", id: "a"), at: 2).status == .filled)
        var venue = try VenueScript.venue()
        venue.startChanges()
        _ = venue.updateQuote(symbol: "BTC-USD", quote: Self.btc, at: 1)
        #expect(!venue.changes.records.isEmpty)
        try venue.restore(traded.snapshot())
        #expect(venue.changes.records.isEmpty && venue.changes.balances.isEmpty)
        #expect(venue.submit(order(.buy, 0.1, account: "mm", id: "b"), at: 3).status == .filled)
        #expect(venue.changes.records.isEmpty && venue.changes.balances.isEmpty)
        venue.startChanges()
        #expect(venue.submit(order(.buy, 0.1, account: "mm", id: "c"), at: 4).status == .filled)
        #expect(venue.changes.records.count == 1 && venue.changes.balances.count == 2)
    }
}
