import Agents
import AgentsTesting
import Configuration
import Foundation
import Testing
import Trading
import WireFormat
import WireProtocol

/// Every committed change to an account — a fill, a funding payment, a liquidation — counts a
/// new version of it, and the venue publishes the account's committed state at that version in
/// one `account.<name>` event, which is what `inventory.get` answers for it.
@Suite("Venue account versions and events", .timeLimit(.minutes(1)))
struct VenueAccountEventTests {
    /// The account events published, each as a reader that got every one before it sees it:
    /// an event that lists changes applied to the account as the events before it left it
    /// (`AccountEventChain`), its number left out, so it compares with `inventory.get`.
    static func accountEvents(_ publisher: RecordingPublisher) throws -> [(topic: String, snapshot: InventorySnapshot)] {
        var chains: [String: AccountEventChain] = [:]
        return try publisher.events.filter { $0.type == EventType.account }.map { event in
            let published = try event.decoded(as: InventorySnapshot.self).payload
            let entry = try #require(published.accounts?.first)
            let read = try #require(AccountEventChain.applying(entry, rows: published.positions, epoch: published.venueEpoch,
                                                               to: chains[event.topic]), "an event that follows none of this account's")
            chains[event.topic] = read.chain
            var whole = read.snapshot
            whole.accounts?[0].sequence = nil
            // `inventory.get` names no orders: an event's are checked apart (`namedOrders`).
            whole.accounts?[0].orders = nil
            return (event.topic, whole)
        }
    }

    /// The account events as published.
    static func publishedAccountEvents(_ publisher: RecordingPublisher) throws -> [InventorySnapshot] {
        try publisher.events.filter { $0.type == EventType.account }.map { try $0.decoded(as: InventorySnapshot.self).payload }
    }

    /// The orders each account event published names, in order.
    static func namedOrders(_ publisher: RecordingPublisher) throws -> [[String]?] {
        try publishedAccountEvents(publisher).map { $0.accounts?.first?.orders }
    }

    /// What `inventory.get` answers for `account` now.
    static func answer(_ venue: VenueAgent, _ account: String = "desk") async throws -> InventorySnapshot {
        try await venue.inventory(request(InventoryQuery(account: account)))
    }

    static func version(_ snapshot: InventorySnapshot) -> UInt64? { snapshot.accounts?.first?.version }

    @Test("a fill counts a version, reported with the order; its event waits for the commit and comes once for two orders")
    func fill() async throws {
        let harness = try VenueHarness()
        let epoch = harness.venue.venueState.epoch
        #expect(Self.version(try await Self.answer(harness.venue)) == 0)
        let first = try await harness.venue.submit(orderRequest("c-1"))
        let second = try await harness.venue.submit(orderRequest("c-2"))
        #expect(first.venueEpoch == epoch && first.accountVersion == 1 && second.accountVersion == 2)
        // A repeated client order id changes nothing: the version it reports is the account's now.
        #expect(try await harness.venue.submit(orderRequest("c-1")).accountVersion == 2)
        #expect(try Self.accountEvents(harness.publisher).isEmpty, "account events are follow-up work")
        try await withServices([harness.venue.followUpService]) {}
        let events = try Self.accountEvents(harness.publisher)
        // The second order took the account's event at version 1 as it began; both commits were
        // done when the follow-up ran, so version 2 alone says it.
        #expect(events.count == 1, "two commits before the follow-up ran: one event")
        let event = try #require(events.first)
        #expect(event.topic == Topic.account("desk") && event.snapshot.venueEpoch == epoch && Self.version(event.snapshot) == 2)
        #expect(event.snapshot.positions.first { $0.symbol == "BTC-USD" }?.base.units == first.filledQty.units + second.filledQty.units)
        #expect(event.snapshot == (try await Self.answer(harness.venue)))
        // The one event is the first to show both orders, and names them, once each: the repeat
        // of c-1 changed nothing and is not named again.
        #expect(try Self.namedOrders(harness.publisher) == [["c-1", "c-2"]])
        #expect(try await Self.answer(harness.venue).accounts?.first?.orders == nil, "inventory.get names no orders")
    }

    @Test("the event at an order's version does not wait for the commit of a later order that changed the account")
    func earlierVersionNotHeldByALaterCommit() async throws {
        let harness = try VenueHarness()
        let first = try await harness.venue.submit(orderRequest("c-1"))
        harness.journal.hold()
        let second = Pending { try await harness.venue.submit(orderRequest("c-2")) }
        await harness.journal.untilWaiting(1)
        // While the second order's commit is held, the first order's version is published.
        let whileHeld = try await withServices([harness.venue.followUpService]) {
            let events = await harness.publisher.waitFor(1, of: EventType.account)
            harness.journal.release()
            return events
        }
        #expect(try whileHeld.map { Self.version(try $0.decoded(as: InventorySnapshot.self).payload) } == [first.accountVersion])
        #expect(try whileHeld.map { try $0.decoded(as: InventorySnapshot.self).payload.accounts?.first?.orders } == [["c-1"]],
                "the event at the first order's version names it alone: the second is not in it yet")
        #expect(try await second.value.accountVersion == 2)
        let events = try Self.accountEvents(harness.publisher)
        #expect(events.map { Self.version($0.snapshot) } == [1, 2])
        let base = events.map { $0.snapshot.positions.first { $0.symbol == "BTC-USD" }?.base.units }
        #expect(base == [first.filledQty.units, first.filledQty.units + (try await second.value).filledQty.units])
        #expect(try Self.namedOrders(harness.publisher) == [["c-1"], ["c-2"]])
    }

    @Test("nothing of an order is in an account event before its commit")
    func heldCommit() async throws {
        let harness = try VenueHarness(holding: true)
        let reply = Pending { try await harness.venue.submit(orderRequest("c-1")) }
        await harness.journal.untilWaiting(1)
        let tick = Pending { await harness.venue.tickMarket() }
        await harness.journal.untilWaiting(2)
        #expect(try Self.accountEvents(harness.publisher).isEmpty)
        harness.journal.release()
        let report = try await reply.value
        #expect(try await tick.value)
        let events = try Self.accountEvents(harness.publisher)
        #expect(events.count == 1 && Self.version(events[0].snapshot) == report.accountVersion)
    }

    /// BTC-USD pays 1 bps every second; each of `names` is a 5x margin account.
    static func fundingVenue(time: ManualTime, publisher: RecordingPublisher, accounts names: [String] = ["desk"]) throws -> VenueAgent {
        var market = MarketSection()
        market.funding = FundingSection(intervalSeconds: 1, rateBps: 1)
        let accounts = names.map { name in
            var account = AccountSection()
            account.name = name
            account.allowShort = true
            account.maxLeverage = 5
            return account
        }
        let state = try VenueState(market: market, accounts: accounts, journal: HeldJournal(), at: time.nowMicros())
        return try VenueAgent(venueState: state, publisher: publisher, logger: .init(label: "venue-test"), time: time)
    }

    @Test("a funding payment counts a version and the tick publishes the account once, as inventory.get shows it")
    func funding() async throws {
        let time = ManualTime(micros: 1_700_000_000_000_000)
        let publisher = RecordingPublisher(source: "market-maker")
        let venue = try Self.fundingVenue(time: time, publisher: publisher)
        #expect(await venue.tickMarket())
        let short = try await venue.submit(orderRequest("short", side: .sell, qty: 0.1))
        #expect(short.status == .filled && short.accountVersion == 1)
        time.advance(seconds: 1)
        let before = try Self.accountEvents(publisher).count
        #expect(await venue.tickMarket())
        #expect(try publisher.payloads(FundingPayload.eventType, as: FundingPayload.self).count == 1)
        let events = try Self.accountEvents(publisher).dropFirst(before)
        #expect(events.count == 1, "one event per account per tick round")
        let event = try #require(events.first)
        #expect(Self.version(event.snapshot) == 2)
        #expect(event.snapshot == (try await Self.answer(venue)))
        // A tick that pays nothing moves the marks only: the same version, published again.
        time.advance(seconds: 0.1)
        #expect(await venue.tickMarket())
        #expect(try Self.accountEvents(publisher).last.map { Self.version($0.snapshot) } == 2)
    }

    @Test("one funding round over two accounts counts one version of each, however often its rows name them")
    func fundingOverTwoAccounts() async throws {
        let time = ManualTime(micros: 1_700_000_000_000_000)
        let publisher = RecordingPublisher(source: "market-maker")
        let venue = try Self.fundingVenue(time: time, publisher: publisher, accounts: ["desk", "alt"])
        #expect(await venue.tickMarket())
        for account in ["desk", "alt"] {
            let short = try await venue.submit(orderRequest("short-\(account)", account: account, side: .sell, qty: 0.1))
            #expect(short.status == .filled && short.accountVersion == 1, "\(account)")
        }
        time.advance(seconds: 1)
        let before = try Self.accountEvents(publisher).count
        #expect(await venue.tickMarket())
        // The round's batch names each account on its position row, its asset balances and
        // its payment: still one version each.
        #expect(try publisher.payloads(FundingPayload.eventType, as: FundingPayload.self).count == 2)
        let events = try Self.accountEvents(publisher).dropFirst(before)
        #expect(events.map(\.snapshot).compactMap { $0.accounts?.first?.account }.sorted() == ["alt", "desk"])
        #expect(events.map { Self.version($0.snapshot) } == [2, 2])
        for account in ["desk", "alt"] {
            #expect(Self.version(try await Self.answer(venue, account)) == 2, "\(account)")
        }
    }

    @Test("a liquidation counts a version and the tick publishes the flattened account")
    func liquidation() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("account-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("ticks.csv")
        try "timestamp,bid,ask\n1,59999,60001\n2,89999,90001\n".write(to: csv, atomically: true, encoding: .utf8)
        var market = MarketSection()
        market.symbols[0].venue.replay = csv.path
        var desk = AccountSection()
        desk.allowShort = true
        desk.maxLeverage = 5
        desk.balances = ["USD": 13_000]
        let publisher = RecordingPublisher(source: "market-maker")
        let time = ManualTime(micros: 1_700_000_000_000_000)
        let state = try VenueState(market: market, accounts: [desk], journal: HeldJournal(), at: time.nowMicros())
        let venue = try VenueAgent(venueState: state, publisher: publisher, logger: .init(label: "venue-test"), time: time)
        let short = try await venue.submit(orderRequest("short", side: .sell, qty: 1))
        #expect(short.status == .filled && short.accountVersion == 1)
        #expect(await venue.tickMarket())
        let liquidations = try publisher.payloads(LiquidationPayload.eventType, as: LiquidationPayload.self)
        #expect(liquidations.count == 1)
        let events = try Self.accountEvents(publisher)
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(Self.version(event.snapshot) ?? 0 > 1)
        #expect(event.snapshot.positions.first { $0.symbol == "BTC-USD" }?.base == 0)
        #expect(event.snapshot == (try await Self.answer(venue)))
    }

    /// BTC-USD and ETH-USD each replayed from a file (the first row opens the market, each tick
    /// takes the next); accounts `btc`, `eth`, `rester` and `idle`, 100,000 USD each.
    static func twoSymbolVenue(_ folder: URL, btc: [String], eth: [String]) throws -> (VenueAgent, RecordingPublisher) {
        var market = MarketSection()
        var symbols: [SymbolSection] = []
        for (name, rows) in [("BTC-USD", btc), ("ETH-USD", eth)] {
            let csv = folder.appendingPathComponent("\(name).csv")
            try (["timestamp,bid,ask"] + rows.enumerated().map { "\($0.offset + 1),\($0.element)" }).joined(separator: "\n")
                .write(to: csv, atomically: true, encoding: .utf8)
            var symbol = SymbolSection()
            symbol.symbol = name
            symbol.venue.replay = csv.path
            symbols.append(symbol)
        }
        market.symbols = symbols
        let accounts = ["btc", "eth", "rester", "idle"].map { name in
            var account = AccountSection()
            account.name = name
            return account
        }
        let publisher = RecordingPublisher(source: "market-maker")
        let state = try VenueState(market: market, accounts: accounts, journal: HeldJournal(), at: 1_700_000_000_000_000)
        return (try VenueAgent(venueState: state, publisher: publisher, logger: .init(label: "venue-test"), time: ManualTime()), publisher)
    }

    @Test("a tick round publishes one event for each account exposed to a symbol whose mark moved, with the new marks, and none for others")
    func markedAccounts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("account-marks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Rounds: both marks move; only ETH moves (BTC's row repeats); only BTC moves.
        let (venue, publisher) = try Self.twoSymbolVenue(folder, btc: ["59999,60001", "60099,60101", "60099,60101", "60199,60201"],
                                                         eth: ["2999,3001", "3009,3011", "3019,3021", "3019,3021"])
        func order(_ account: String, _ symbol: String, _ type: OrderType, qty: WireDecimal, price: WireDecimal? = nil) -> Envelope<OrderSubmit> {
            Envelope.make(type: OrderSubmit.requestType, source: "execution-agent", trace: .root(),
                          payload: OrderSubmit(clientOrderId: "\(account)-1", account: account, symbol: symbol, side: .buy, type: type, qty: qty, price: price))
        }
        #expect(try await venue.submit(order("btc", "BTC-USD", .market, qty: 0.1)).status == .filled)
        #expect(try await venue.submit(order("eth", "ETH-USD", .market, qty: 1)).status == .filled)
        // A resting buy far below the market: its margin would move with the mark, so it counts.
        #expect(try await venue.submit(order("rester", "BTC-USD", .limit, qty: 0.1, price: 30_000)).status == .open)
        try await withServices([venue.followUpService]) {}
        let settled = try Self.accountEvents(publisher).count
        #expect(settled == 3, "one event for each account the orders changed")
        let versions = Dictionary(uniqueKeysWithValues: try Self.accountEvents(publisher).map { ($0.topic, Self.version($0.snapshot)) })

        func round() async throws -> [String: InventorySnapshot] {
            let before = try Self.accountEvents(publisher).count
            #expect(await venue.tickMarket())
            let events = try Self.accountEvents(publisher).dropFirst(before)
            #expect(Set(events.map(\.topic)).count == events.count, "one event per account per round")
            return Dictionary(uniqueKeysWithValues: events.map { ($0.topic, $0.snapshot) })
        }
        func mark(_ snapshot: InventorySnapshot?, _ symbol: String) -> WireDecimal? {
            snapshot?.positions.first { $0.symbol == symbol }?.mark
        }

        let both = try await round()
        #expect(Set(both.keys) == [Topic.account("btc"), Topic.account("eth"), Topic.account("rester")])
        #expect(mark(both[Topic.account("btc")], "BTC-USD") == 60_100 && mark(both[Topic.account("eth")], "ETH-USD") == 3_010)
        for (topic, snapshot) in both {
            #expect(Self.version(snapshot) == versions[topic] ?? nil, "marks alone count no version")
            let account = String(topic.dropFirst(Topic.account("").count))
            #expect(snapshot == (try await Self.answer(venue, account)), "\(account): what inventory.get answers")
        }

        let ethOnly = try await round()
        #expect(Set(ethOnly.keys) == [Topic.account("eth")])
        #expect(mark(ethOnly[Topic.account("eth")], "ETH-USD") == 3_020)

        let btcOnly = try await round()
        #expect(Set(btcOnly.keys) == [Topic.account("btc"), Topic.account("rester")])
        #expect(mark(btcOnly[Topic.account("btc")], "BTC-USD") == 60_200)
        #expect(try !Self.accountEvents(publisher).contains { $0.topic == Topic.account("idle") }, "idle holds nothing the marks move")
        // As published, an account's events after its first list only what changed: the round
        // that moved ETH alone lists eth's ETH row, not its BTC row.
        let eth = try Self.publishedAccountEvents(publisher).filter { $0.accounts?.first?.account == "eth" }
        #expect(eth.first?.accounts?.first?.sinceSequence == nil)
        #expect(eth.dropFirst().allSatisfy { $0.accounts?.first?.sinceSequence != nil })
        #expect(eth.last?.positions.map(\.symbol) == ["ETH-USD"] && ethOnly[Topic.account("eth")]?.positions.count == 2)
    }
}
