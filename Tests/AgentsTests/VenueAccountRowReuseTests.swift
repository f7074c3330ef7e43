import Agents
import Foundation
import Testing
import Trading
import WireFormat
import WireProtocol

/// An `account.<name>` event remakes only the rows whose figures moved and reuses the others with
/// the quote balance of now (`PositionRowMemo`): after every kind of change to an account —
/// a fill in either symbol, a resting order, its cancel, marks moved by a tick — its event says
/// what `inventory.get` answers, which lists the account afresh.
@Suite("Venue account rows reused between events", .timeLimit(.minutes(1)))
struct VenueAccountRowReuseTests {
    @Test("after each change the account's event is what inventory.get answers")
    func reusedRowsMatchAFreshListing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("account-rows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Ticks: both marks move, then ETH's alone.
        let (venue, publisher) = try VenueAccountEventTests.twoSymbolVenue(folder, btc: ["59999,60001", "60099,60101", "60099,60101"],
                                                                           eth: ["2999,3001", "3009,3011", "3019,3021"])
        var sent = 0
        func order(_ symbol: String, _ side: Side, _ type: OrderType = .market, qty: WireDecimal, price: WireDecimal? = nil) -> Envelope<OrderSubmit> {
            sent += 1
            return Envelope.make(type: OrderSubmit.requestType, source: "execution-agent", trace: .root(),
                                 payload: OrderSubmit(clientOrderId: "btc-\(sent)", account: "btc", symbol: symbol, side: side, type: type,
                                                      qty: qty, price: price))
        }
        var checked = 0
        /// Waits for the account's next event, reads it through its chain and holds it against
        /// inventory.get. Only `btc` trades, so every account event is its.
        func check(_ step: String) async throws {
            checked += 1
            _ = await publisher.waitFor(checked, of: EventType.account)
            let events = try VenueAccountEventTests.accountEvents(publisher)
            #expect(events.count == checked && events.allSatisfy { $0.topic == Topic.account("btc") }, "\(step): one new event")
            let event = try #require(events.last)
            #expect(event.snapshot == (try await VenueAccountEventTests.answer(venue, "btc")), "\(step): what inventory.get answers")
        }

        try await withServices([venue.followUpService]) {
            #expect(try await venue.submit(order("BTC-USD", .buy, qty: 0.1)).status == .filled)
            try await check("a BTC fill")
            #expect(try await venue.submit(order("ETH-USD", .buy, qty: 1)).status == .filled)
            try await check("an ETH fill, the BTC row reused with the new quote balance")
            let resting = try await venue.submit(order("ETH-USD", .buy, .limit, qty: 1, price: 2_000))
            #expect(resting.status == .open)
            try await check("a resting ETH buy")
            #expect(await venue.tickMarket())
            try await check("both marks moved")
            let cancel = Envelope.make(type: OrderCancel.requestType, source: "execution-agent", trace: .root(),
                                       payload: OrderCancel(account: "btc", orderId: resting.orderId))
            #expect(try await venue.cancel(cancel).status == .cancelled)
            try await check("the resting buy cancelled")
            #expect(try await venue.submit(order("BTC-USD", .sell, qty: 0.05)).status == .filled)
            try await check("half the BTC sold")
            #expect(await venue.tickMarket())
            try await check("ETH's mark alone moved")
        }
        // The rows changed as expected along the way: the last event's ETH row shows the last mark.
        let last = try #require(VenueAccountEventTests.accountEvents(publisher).last { $0.topic == Topic.account("btc") })
        #expect(last.snapshot.positions.first { $0.symbol == "ETH-USD" }?.mark == 3_020)
        #expect(last.snapshot.positions.first { $0.symbol == "BTC-USD" }?.base == 0.05)
    }
}
