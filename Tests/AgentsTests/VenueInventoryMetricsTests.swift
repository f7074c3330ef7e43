import Agents
import AgentsTesting
import Configuration
import Synchronization
import Testing
import Trading
import WireProtocol

/// A fill's follow-up records the inventory view of its own symbol (a state reads only its
/// account's slot and mark in that symbol), and warns of what went over its limit there; the
/// periodic inventory snapshot records every symbol's.
@Suite("Venue inventory metrics", .timeLimit(.minutes(1)))
struct VenueInventoryMetricsTests {
    /// Keeps every set of inventory states recorded.
    final class Recorded: VenueMetricsRecording {
        let states = Mutex<[(states: [InventoryState], newlyOverLimit: [InventoryState])]>([])
        func record(_ report: OrderReport) {}
        func record(_ states: [InventoryState], newlyOverLimit: [InventoryState]) { self.states.withLock { $0.append((states, newlyOverLimit)) } }
        func record(_ snapshot: InventorySnapshot) {}
        func record(_ hedge: HedgeEventPayload) {}
    }

    /// BTC-USD (at most 0.05 held) and ETH-USD; accounts `desk` and `other`.
    static func venue(metrics: Recorded) throws -> VenueAgent {
        var market = MarketSection()
        var btc = SymbolSection()
        btc.symbol = "BTC-USD"
        btc.maxInventory = Quantity(raw: 5_000_000)
        var eth = SymbolSection()
        eth.symbol = "ETH-USD"
        eth.startPrice = 3_000
        market.symbols = [btc, eth]
        let accounts = ["desk", "other"].map { name in
            var account = AccountSection()
            account.name = name
            return account
        }
        let state = try VenueState(market: market, accounts: accounts, journal: HeldJournal(), at: 1_700_000_000_000_000)
        return try VenueAgent(venueState: state, publisher: RecordingPublisher(source: "market-maker"), logger: .init(label: "venue-test"),
                              metrics: metrics, time: ManualTime())
    }

    @Test func aFillRecordsItsSymbolsStatesAndWhatWentOverTheLimitThere() async throws {
        let metrics = Recorded()
        let venue = try Self.venue(metrics: metrics)
        #expect(try await venue.submit(orderRequest("c-1", qty: 0.1)).status == .filled)
        try await withServices([venue.followUpService]) {}
        let recorded = metrics.states.withLock { $0 }
        #expect(recorded.count == 1)
        let states = try #require(recorded.first)
        #expect(states.states.map(\.symbol) == ["BTC-USD", "BTC-USD"])
        #expect(states.states.map(\.account) == ["desk", "other"])
        #expect(states.states.first { $0.account == "desk" }?.position == Quantity(raw: 10_000_000))
        #expect(states.newlyOverLimit.map(\.account) == ["desk"])
        #expect(states.newlyOverLimit.allSatisfy { $0.symbol == "BTC-USD" && $0.isOverLimit })
    }

    @Test func theSnapshotRoundRecordsEverySymbolOnceAndAnOverLimitOnlyWhenNew() async throws {
        let metrics = Recorded()
        let venue = try Self.venue(metrics: metrics)
        #expect(try await venue.submit(orderRequest("c-1", qty: 0.1)).status == .filled)
        try await withServices([venue.followUpService]) {}
        await venue.publishInventory(symbols: ["BTC-USD", "ETH-USD"])
        let round = metrics.states.withLock { Array($0.dropFirst()) }
        #expect(round.map { Set($0.states.map(\.symbol)) } == [["BTC-USD"], ["ETH-USD"]])
        #expect(round.allSatisfy { $0.states.count == 2 })
        #expect(round.allSatisfy { $0.newlyOverLimit.isEmpty }, "desk was already over its BTC limit")
        #expect(round[0].states.contains { $0.account == "desk" && $0.isOverLimit })
    }
}
