import Agents
import AgentsTesting
import Testing
import WireFormat
import WireProtocol

@Suite("Venue order handling", .timeLimit(.minutes(1)))
struct VenueOrderTests {
    @Test("a fill and its inventory are published on the order's trace only once the order is committed")
    func fillWaitsForTheCommit() async throws {
        let harness = try VenueHarness(holding: true)
        let order = orderRequest("c-1")
        let reply = Pending { try await harness.venue.submit(order) }
        // The handler must be waiting for the commit, not answering without it.
        let waitedForCommit = await happensFirst({ await harness.journal.untilWaiting(1) }, before: { await reply.end() })
        #expect(waitedForCommit)
        #expect(harness.publisher.events.isEmpty, "nothing may be published before the commit")

        harness.journal.release()
        let report = try await reply.value
        #expect(report.status == .filled)
        let fills = harness.publisher.events.filter { $0.type == EventType.fill }
        #expect(fills.count == report.fills.count && !fills.isEmpty)
        for fill in fills {
            #expect(fill.topic == Topic.fill("BTC-USD"))
            #expect(try fill.decoded(as: FillPayload.self).traceId == order.traceId)
        }
        // The inventory event is follow-up work: the service does it, and drains it on shutdown.
        #expect(harness.publisher.events.filter { $0.type == EventType.inventory }.isEmpty)
        try await withServices([harness.venue.followUpService]) {}
        let inventory = try #require(harness.publisher.events.first { $0.type == EventType.inventory })
        #expect(inventory.topic == Topic.inventory("BTC-USD"))
        let snapshot = try inventory.decoded(as: InventorySnapshot.self)
        #expect(snapshot.traceId == order.traceId)
        let desk = try #require(snapshot.payload.positions.first { $0.account == "desk" })
        #expect(desk.base == report.filledQty)
    }

    @Test("a repeated client order id returns the first result and publishes nothing new")
    func repeatedClientOrderId() async throws {
        let harness = try VenueHarness()
        let first = try await harness.venue.submit(orderRequest("same", qty: 0.1))
        let published = harness.publisher.events.count
        let written = harness.journal.batches.count
        let again = try await harness.venue.submit(orderRequest("same", qty: 0.1))
        #expect(again == first)
        #expect(harness.publisher.events.count == published)
        #expect(harness.journal.batches.count == written, "a replay writes nothing")
        try await withServices([harness.venue.followUpService]) {}
        #expect(harness.publisher.events.filter { $0.type == EventType.inventory }.count == 1)
        let positions = try await harness.venue.inventory(request(InventoryQuery(account: "desk"))).positions
        #expect(positions.first?.base == first.filledQty)
    }

    @Test("cancel and replace of an order that is not resting fail with not_found")
    func unknownOrders() async throws {
        let harness = try VenueHarness()
        let resting = try await harness.venue.submit(orderRequest("low", type: .limit, qty: 0.1, price: 30_000))
        #expect(resting.status == .open)

        for (account, orderId) in [("desk", "O-999"), ("other", resting.orderId)] {
            let cancel = await #expect(throws: ProtocolError.self) {
                try await harness.venue.cancel(request(OrderCancel(account: account, orderId: orderId)))
            }
            #expect(cancel?.code == .notFound)
            let replace = await #expect(throws: ProtocolError.self) {
                try await harness.venue.replace(request(OrderReplace(account: account, orderId: orderId, qty: 0.2)))
            }
            #expect(replace?.code == .notFound)
        }

        let replaced = try await harness.venue.replace(request(OrderReplace(account: "desk", orderId: resting.orderId, price: 31_000)))
        #expect(replaced.status == .open && replaced.orderId != resting.orderId)
        let cancelled = try await harness.venue.cancel(request(OrderCancel(account: "desk", orderId: replaced.orderId)))
        #expect(cancelled.status == .cancelled)
        let again = await #expect(throws: ProtocolError.self) {
            try await harness.venue.cancel(request(OrderCancel(account: "desk", orderId: replaced.orderId)))
        }
        #expect(again?.code == .notFound)
    }

    @Test("an inventory query answers only once the fills it shows are committed")
    func inventoryWaitsForTheCommit() async throws {
        let harness = try VenueHarness(holding: true)
        let order = Pending { try await harness.venue.submit(orderRequest("c-1")) }
        #expect(await happensFirst({ await harness.journal.untilWaiting(1) }, before: { await order.end() }))
        let query = Pending { try await harness.venue.inventory(request(InventoryQuery(symbol: "BTC-USD", account: "desk"))) }
        let waitedForCommit = await happensFirst({ await harness.journal.untilWaiting(2) }, before: { await query.end() })
        #expect(waitedForCommit, "the inventory answer must wait for the commit of the fill it shows")

        harness.journal.release()
        let report = try await order.value
        let positions = try await query.value.positions
        #expect(positions.count == 1 && positions.first?.base == report.filledQty)
    }

    @Test("a market tick publishes each symbol's quote once what it did is committed")
    func marketTick() async throws {
        let harness = try VenueHarness()
        #expect(await harness.venue.tickMarket())
        let ticks = harness.publisher.events.filter { $0.type == EventType.market }
        #expect(ticks.map(\.topic) == [Topic.market("BTC-USD")])
        let tick = try #require(ticks.first).decoded(as: MarketTick.self).payload
        #expect(tick.bid < tick.ask && tick.bid > 50_000)

        harness.journal.fail("disk I/O error")
        #expect(await harness.venue.tickMarket() == false)
        #expect(harness.publisher.events.filter { $0.type == EventType.market }.count == 1, "nothing is published once the journal failed")
    }
}
