import Configuration
import Foundation
import Testing
import WireFormat
@testable import AgentRuntime
@testable import Messaging

/// An agent holds its finished req/rep hops and publishes them as `trace.<agent>` events
/// together: before its next heartbeat whenever one comes first, and otherwise by itself
/// shortly after, each event keeping the times of its hop.
@Suite("Held hops", .timeLimit(.minutes(1)))
struct HeldHopsTests {
    static let agent = "quant-analyst"

    static func hop(_ n: Int, trace: TraceContext) -> RequestHop {
        RequestHop(role: .client, requestType: "analyze", requestId: "req-\(n)", replyId: "rep-\(n)", trace: trace,
                   peer: "risk-manager", startUs: 1_000 * Int64(n), endUs: 1_000 * Int64(n) + 250, outcome: "ok", attempts: 1, detail: nil)
    }

    @Test func hopsThatEndedBeforeAHeartbeatArriveBeforeItAndLaterOnesFollowByThemselves() async throws {
        try await NodeOnBus.run(agent: Self.agent) { node, topology, subscriberLoop in
            try await exercise(node: node, topology: topology, subscriberLoop: subscriberLoop)
        }
    }

    private func exercise(node: AgentNode, topology: Topology, subscriberLoop: MessageLoop) async throws {
        let messages = try await BusSubscriber.connect(loop: subscriberLoop, endpoint: topology.bus.subscribe,
                                                       topics: [Topic.trace(Self.agent), Topic.heartbeat(Self.agent)]).messages
        // The handshake: the agent's publisher has learnt of the trace subscription.
        #expect(await node.publisher.subscriptions.wait(for: Data(Topic.trace(Self.agent).utf8), timeout: .seconds(20)))
        let observer = node.hopObserver
        #expect(observer.wantsRoutine(), "a subscriber to the trace topic takes every hop")

        // Two hops end, then a heartbeat goes out at once: the hops come first, in order.
        let trace = TraceContext.root()
        observer.observe(Self.hop(1, trace: trace))
        observer.observe(Self.hop(2, trace: trace))
        let beat = HeartbeatPayload(agent: Self.agent, pid: 1, seq: 1, uptimeMs: 0, endpoint: "tcp://127.0.0.1:1", handled: 0, errors: 0)
        node.publish(beat, type: EventType.heartbeat, topic: Topic.heartbeat(Self.agent), trace: .root())
        var iterator = messages.makeAsyncIterator()
        var arrived: [BusMessage] = []
        for _ in 0..<3 { arrived.append(try #require(await iterator.next())) }
        #expect(arrived.map(\.topic) == [Topic.trace(Self.agent), Topic.trace(Self.agent), Topic.heartbeat(Self.agent)])
        let events = try arrived.prefix(2).map { try JSONEnvelopeCodec().decode(TraceEventPayload.self, from: $0.body) }
        #expect(events.map(\.payload.requestId) == ["req-1", "req-2"])
        #expect(events.map(\.payload.startUs) == [1_000, 2_000] && events.map(\.payload.endUs) == [1_250, 2_250])
        // Each event is parented to its request, in the hop's trace.
        #expect(events.allSatisfy { $0.traceId == trace.traceId })
        #expect(events.map(\.parentId) == ["req-1", "req-2"])

        // A hop with no heartbeat after it is published by itself.
        observer.observe(Self.hop(3, trace: trace))
        let third = try #require(await iterator.next())
        #expect(third.topic == Topic.trace(Self.agent))
        #expect(try JSONEnvelopeCodec().decode(TraceEventPayload.self, from: third.body).payload.requestId == "req-3")
    }
}
