import Agents
import AgentsTesting
import Configuration
import Foundation
import Logging
import Testing
import Trading
import WireFormat
import WireProtocol

/// The RiskManager's `risk` event, the ExecutionAgent's `order` event and the venue's fill and
/// account events wait for the reply they follow to leave (`EventPublishing.afterPendingSends`),
/// so that reply is not held up by them.
@Suite(.timeLimit(.minutes(1)))
struct AfterPendingSendsTests {
    @Test func theExecutionAgentAnswersBeforeItPublishesTheOrderEvent() async throws {
        let venue = AgentLogicTests.fillingVenue(orderId: "O-1", avgPrice: 100)
        let bus = DeferringPublisher(source: "execution-agent")
        let agent = ExecutionAgent(venue: venue, publisher: bus, logger: AgentLogicTests.quiet)
        let order = OrderSubmit(clientOrderId: "sig-1", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.5)
        let request = AgentLogicTests.request(ExecuteRequest(order: order))
        let report = try await agent.execute(request).payload
        #expect(report.orderId == "O-1")
        #expect(bus.recorded.events.isEmpty, "the order event waits for the reply")
        #expect(bus.heldCount == 1)
        bus.runHeld()
        let event = try #require(bus.recorded.events.first)
        #expect(bus.recorded.events.count == 1)
        #expect(event.type == EventType.order && event.topic == "order.BTC-USD")
        #expect(try event.decoded(as: OrderReport.self).parentId == request.id)
    }

    @Test func theRiskManagerAnswersBeforeItPublishesTheRiskEvent() async throws {
        let venue = InMemoryPeer(name: "market-maker")
        venue.on(InventoryQuery.self) { _ in
            InventorySnapshot(positions: [PositionPayload(Position(account: "desk", symbol: "BTC-USD", base: 0, quote: 100_000,
                                                                   averageEntryPrice: 0), mark: 100)])
        }
        let bus = DeferringPublisher(source: "risk-manager")
        let risk = RiskManager(settings: RiskSection(), accounts: [AccountSection()], listed: ["BTC-USD"], venue: venue,
                               publisher: bus, logger: AgentLogicTests.quiet)
        let request = AgentLogicTests.assess("BTC-USD", .buy)
        let verdict = try await risk.assess(request)
        #expect(verdict.approved && verdict.qty > 0)
        #expect(bus.recorded.events.isEmpty, "the risk event waits for the reply")
        #expect(bus.heldCount == 1)
        bus.runHeld()
        let event = try #require(bus.recorded.events.first)
        #expect(bus.recorded.events.count == 1)
        #expect(event.type == EventType.risk && event.topic == "risk.BTC-USD")
        let published = try event.decoded(as: RiskVerdict.self)
        #expect(published.payload == verdict && published.parentId == request.id)
    }

    @Test func theVenueAnswersAFilledOrderBeforeItPublishesItsFills() async throws {
        let bus = DeferringPublisher(source: "market-maker")
        let harness = try VenueHarness(publisher: bus)
        let order = orderRequest("c-1", qty: 0.1)
        let report = try await harness.venue.submit(order)
        #expect(report.status == .filled && !report.fills.isEmpty)
        #expect(bus.recorded.events.isEmpty, "the fill events wait for the reply")
        bus.runHeld()
        let fills = try bus.recorded.payloads(EventType.fill, as: FillPayload.self)
        #expect(fills == report.fills)
        #expect(try bus.recorded.events.allSatisfy { try $0.decoded(as: FillPayload.self).traceId == order.traceId })
        // A repeat of the same client order id is answered from the first result and defers nothing.
        let again = try await harness.venue.submit(order)
        #expect(again == report)
        #expect(bus.heldCount == 0)
    }

    @Test func theVenueQueuesAFilledOrdersAccountEventOnlyOnceItsReplyHasLeft() async throws {
        // Follow-up work queued before the reply left runs here; none may be the account's event.
        let bus = DeferringPublisher(source: "market-maker")
        let harness = try VenueHarness(publisher: bus)
        _ = try await harness.venue.submit(orderRequest("c-1", qty: 0.1))
        try await withServices([harness.venue.followUpService]) {}
        #expect(bus.recorded.events.isEmpty, "the account event was queued before the reply left")
        #expect(bus.heldCount == 1)

        // Once the reply has left, the account's event follows, at the version the reply reported.
        let later = DeferringPublisher(source: "market-maker")
        let venue = try VenueHarness(publisher: later).venue
        let report = try await venue.submit(orderRequest("c-2", qty: 0.1))
        try await withServices([venue.followUpService]) { later.runHeld() }
        let accounts = try later.recorded.payloads(EventType.account, as: InventorySnapshot.self)
        #expect(accounts.count == 1)
        #expect(accounts.first?.accounts?.first?.version == report.accountVersion)
        #expect(try later.recorded.payloads(EventType.fill, as: FillPayload.self) == report.fills)
    }

    @Test func aVenueWhoseRepliesLeaveTheProcessQueuesTheAccountEventBeforeTheReply() async throws {
        // Nothing held for after the reply runs: the account event was queued before it left,
        // at the version the reply reports; the fill events still wait for the reply.
        let bus = DeferringPublisher(source: "market-maker", sharesLoopWithPeers: false)
        let harness = try VenueHarness(publisher: bus)
        let report = try await harness.venue.submit(orderRequest("c-1", qty: 0.1))
        try await withServices([harness.venue.followUpService]) {}
        let accounts = try bus.recorded.payloads(EventType.account, as: InventorySnapshot.self)
        #expect(accounts.map { $0.accounts?.first?.version } == [report.accountVersion])
        #expect(try bus.recorded.payloads(EventType.fill, as: FillPayload.self).isEmpty, "fill events still wait for the reply")
        #expect(bus.heldCount == 1)
    }

    @Test func aFilledOrderWhoseAccountALaterOrderChangedQueuesItsAccountEventBeforeItsReply() async throws {
        // Both orders wait for their commits together; the second takes the first's account
        // event early as it begins, so the first need not wait for its reply to leave.
        let bus = DeferringPublisher(source: "market-maker")
        let harness = try VenueHarness(holding: true, publisher: bus)
        let first = Pending { try await harness.venue.submit(orderRequest("c-1", qty: 0.1)) }
        await harness.journal.untilWaiting(1)
        let second = Pending { try await harness.venue.submit(orderRequest("c-2", qty: 0.1)) }
        await harness.journal.untilWaiting(2)
        harness.journal.release()
        let reports = (try await first.value, try await second.value)
        try await withServices([harness.venue.followUpService]) {}
        // Nothing held for after the replies has run: this event was queued before them. One
        // commit made both versions durable, so the later one alone is published.
        let accounts = try bus.recorded.payloads(EventType.account, as: InventorySnapshot.self)
        #expect(accounts.map { $0.accounts?.first?.version } == [reports.1.accountVersion])
        #expect(try bus.recorded.payloads(EventType.fill, as: FillPayload.self).isEmpty, "fill events still wait for the replies")
        #expect(bus.heldCount == 2)
    }
}
