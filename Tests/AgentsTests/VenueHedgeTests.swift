import Agents
import AgentsTesting
import Configuration
import Synchronization
import Testing
import WireFormat
import WireProtocol

@Suite("Venue hedge leg", .timeLimit(.minutes(1)))
struct VenueHedgeTests {
    /// An ExecutionAgent that forwards each order to `venue`, as the real one does.
    func forwarding(to venue: @escaping @Sendable () -> VenueAgent) -> InMemoryPeer {
        let peer = InMemoryPeer(name: "execution-agent")
        peer.on(ExecuteRequest.self) { request in
            try await venue().submit(Envelope.make(type: OrderSubmit.requestType, source: "execution-agent",
                                                   trace: .caused(by: request), payload: request.payload.order))
        }
        return peer
    }

    @Test("a fill on the leg's account is offset by an opposite order of the same quantity, sent on the fill's trace")
    func hedgeFilled() async throws {
        let box = VenueBox()
        let peer = forwarding { box.venue! }
        let harness = try VenueHarness(hedgeBase: 1, hedges: [HedgeSection(from: "desk", to: "hedge")], execution: peer)
        box.venue = harness.venue
        let order = orderRequest("buy-1", qty: 0.25)
        let report = try await harness.venue.submit(order)
        #expect(report.filledQty == 0.25)
        #expect(peer.received.isEmpty, "the hedge is follow-up work, not part of the reply")

        try await withServices([harness.venue.followUpService]) {}
        let sent = try #require(peer.received.first)
        #expect(peer.receivedTypes == [ExecuteRequest.requestType])
        #expect(sent.trace.traceId == order.traceId)
        let hedge = try sent.decoded(as: ExecuteRequest.self).order
        #expect(hedge.account == "hedge" && hedge.side == .sell && hedge.qty == 0.25 && hedge.type == .market)

        let events = harness.publisher.events.filter { $0.type == EventType.hedge }
        let event = try #require(events.first)
        #expect(events.count == 1 && event.topic == Topic.hedge("BTC-USD"))
        let payload = try event.decoded(as: HedgeEventPayload.self)
        #expect(payload.traceId == order.traceId)
        #expect(payload.payload.status == "filled" && payload.payload.from == "desk" && payload.payload.to == "hedge")
        #expect(payload.payload.fillOrderId == report.orderId && payload.payload.qty == 0.25 && payload.payload.hedgeOrderId != nil)
        let hedgeAccount = try await harness.venue.inventory(request(InventoryQuery(account: "hedge"))).positions
        #expect(hedgeAccount.first?.base == 0.75)
        #expect(await harness.venue.notes().isEmpty)
    }

    @Test("a hedge the venue refuses is published as rejected, with the venue's reason")
    func hedgeRejected() async throws {
        let box = VenueBox()
        let peer = forwarding { box.venue! }
        // The hedge account holds no BTC and may not go short: its sell is refused.
        let harness = try VenueHarness(hedgeBase: 0, hedges: [HedgeSection(from: "desk", to: "hedge")], execution: peer)
        box.venue = harness.venue
        _ = try await harness.venue.submit(orderRequest("buy-1"))
        try await withServices([harness.venue.followUpService]) {}
        let event = try #require(try harness.publisher.payloads(EventType.hedge, as: HedgeEventPayload.self).first)
        #expect(event.status == "rejected" && event.reason != nil && event.attempts == 1)
        #expect(await harness.venue.notes().first?.contains("1 hedge failure(s)") == true)
    }

    @Test("a hedge the ExecutionAgent never answers is published as failed after the leg's attempts")
    func hedgeFailed() async throws {
        // A peer with no handler: every request fails as unreachable.
        let peer = InMemoryPeer(name: "execution-agent")
        let harness = try VenueHarness(hedgeBase: 1, hedges: [HedgeSection(from: "desk", to: "hedge", attempts: 4)], execution: peer)
        _ = try await harness.venue.submit(orderRequest("buy-1"))
        try await withServices([harness.venue.followUpService]) {}
        #expect(peer.receivedTypes == [ExecuteRequest.requestType])
        let event = try #require(try harness.publisher.payloads(EventType.hedge, as: HedgeEventPayload.self).first)
        #expect(event.status == "failed" && event.attempts == 4 && event.hedgeOrderId == nil)
        #expect(event.reason?.contains("no handler") == true)
        #expect(await harness.venue.notes() == ["1 hedge failure(s), last: hedge of \(event.fillOrderId) on hedge failed: \(event.reason ?? "")"])
    }

    @Test("follow-ups queued before graceful shutdown are all done before the service returns")
    func drainQueuedOnShutdown() async throws {
        let box = VenueBox()
        let peer = forwarding { box.venue! }
        let harness = try VenueHarness(hedgeBase: 5, hedges: [HedgeSection(from: "desk", to: "hedge")], execution: peer)
        box.venue = harness.venue
        for number in 1...3 { _ = try await harness.venue.submit(orderRequest("buy-\(number)")) }
        // Shutdown is asked for before the service even starts: it must still do what was queued.
        let group = serviceGroup([harness.venue.followUpService])
        await group.triggerGracefulShutdown()
        try await group.run()
        let hedges = try harness.publisher.payloads(EventType.hedge, as: HedgeEventPayload.self)
        #expect(hedges.count == 3 && hedges.allSatisfy { $0.status == "filled" })
        // One inventory event per queued fill; the hedges' own fills may add theirs when they
        // are queued before the service stops taking work, which depends on scheduling.
        #expect(harness.publisher.events.filter { $0.type == EventType.inventory }.count >= 3)
    }

    @Test("graceful shutdown waits for hedges in flight when it comes")
    func drainInFlightOnShutdown() async throws {
        let box = VenueBox(), gate = Gate()
        let (entered, enter) = AsyncStream.makeStream(of: Void.self)
        let peer = InMemoryPeer(name: "execution-agent")
        peer.on(ExecuteRequest.self) { request in
            enter.yield()
            await gate.wait()
            return try await box.venue!.submit(Envelope.make(type: OrderSubmit.requestType, source: "execution-agent",
                                                            trace: .caused(by: request), payload: request.payload.order))
        }
        let harness = try VenueHarness(hedgeBase: 5, hedges: [HedgeSection(from: "desk", to: "hedge")], execution: peer)
        box.venue = harness.venue
        let group = serviceGroup([harness.venue.followUpService])
        async let run: Void = group.run()
        _ = try await harness.venue.submit(orderRequest("buy-1"))
        // The hedge is held at the ExecutionAgent when shutdown is asked for.
        for await _ in entered { break }
        await group.triggerGracefulShutdown()
        gate.open()
        try await run
        #expect(try harness.publisher.payloads(EventType.hedge, as: HedgeEventPayload.self).map(\.status) == ["filled"])
    }

    @Test("fills on accounts without a leg are not hedged")
    func noLeg() async throws {
        let peer = InMemoryPeer(name: "execution-agent")
        let harness = try VenueHarness(hedgeBase: 1, hedges: [HedgeSection(from: "hedge", to: "desk")], execution: peer)
        _ = try await harness.venue.submit(orderRequest("buy-1"))
        try await withServices([harness.venue.followUpService]) {}
        #expect(peer.received.isEmpty)
        #expect(harness.publisher.events.filter { $0.type == EventType.hedge }.isEmpty)
        #expect(harness.publisher.events.filter { $0.type == EventType.inventory }.count == 1)
    }
}

/// Lets a peer built before the venue call it once it exists.
final class VenueBox: Sendable {
    private let stored = Mutex<VenueAgent?>(nil)

    var venue: VenueAgent? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}

/// Holds every caller of `wait` until `open`.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let open = state.withLock { state -> Bool in
                if !state.open { state.waiters.append(waiter) }
                return state.open
            }
            if open { waiter.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
