import Configuration
import Foundation
import Synchronization
import Testing
import WireFormat
import WireProtocol
@testable import AgentRuntime
@testable import Messaging

/// An agent encodes and sends an event only when a subscription the bus relayed covers its
/// topic (heartbeats aside); a subscriber that joins gets the events published once its
/// subscription has reached the agent.
@Suite("Unsubscribed events", .timeLimit(.minutes(1)))
struct UnsubscribedEventTests {
    /// The JSON codec, counting the envelopes it encodes by type.
    final class CountingCodec: EnvelopeCodec {
        private let counts = Mutex<[String: Int]>([:])

        func encoded(_ type: String) -> Int { counts.withLock { $0[type, default: 0] } }

        func encode<P: MessagePayload>(_ envelope: Envelope<P>) throws(ProtocolError) -> Data {
            counts.withLock { $0[envelope.type, default: 0] += 1 }
            return try JSONEnvelopeCodec().encode(envelope)
        }

        func decode<P: MessagePayload>(_ type: P.Type, from data: Data) throws(ProtocolError) -> Envelope<P> {
            try JSONEnvelopeCodec().decode(P.self, from: data)
        }
    }

    @Test func anEventNobodySubscribesToIsNotEncodedAndASubscriberGetsTheNextOnes() async throws {
        let codec = CountingCodec()
        try await NodeOnBus.run(agent: "quant-analyst", codec: codec) { node, topology, subscriberLoop in
            try await exercise(node: node, codec: codec, topology: topology, subscriberLoop: subscriberLoop)
        }
    }

    private func exercise(node: AgentNode, codec: CountingCodec, topology: Topology, subscriberLoop: MessageLoop) async throws {
        let tick = MarketTick(symbol: "BTC-USD", bid: 99, ask: 101, last: 100)

        // Nobody subscribes: the envelopes are made (and returned) but never encoded.
        let unsent = (0..<5).map { _ in node.publish(tick, type: EventType.analysis, topic: Topic.analysis("BTC-USD"), trace: .root()) }
        #expect(Set(unsent.map(\.id)).count == 5)
        #expect(codec.encoded(EventType.analysis) == 0)
        // Heartbeats are the exception: always handed to libzmq, whose own filter decides.
        node.publish(tick, type: EventType.heartbeat, topic: Topic.heartbeat("quant-analyst"), trace: .root())
        #expect(codec.encoded(EventType.heartbeat) == 1)

        // A subscriber joins through the bus; the handshake is the agent's publisher learning it.
        let analyses = try await BusSubscriber.connect(loop: subscriberLoop, endpoint: topology.bus.subscribe, topics: [Topic.analysis("")]).messages
        #expect(await node.publisher.subscriptions.wait(for: Data(Topic.analysis("BTC-USD").utf8), timeout: .seconds(20)))
        let sent = node.publish(tick, type: EventType.analysis, topic: Topic.analysis("BTC-USD"), trace: .root())
        node.publish(tick, type: EventType.risk, topic: Topic.risk("BTC-USD"), trace: .root())
        let next = node.publish(tick, type: EventType.analysis, topic: Topic.analysis("ETH-USD"), trace: .root())
        var iterator = analyses.makeAsyncIterator()
        let first = try #require(await iterator.next())
        let second = try #require(await iterator.next())
        #expect(first.topic == Topic.analysis("BTC-USD") && second.topic == Topic.analysis("ETH-USD"))
        #expect(try JSONEnvelopeCodec().decode(MarketTick.self, from: first.body).id == sent.id)
        #expect(try JSONEnvelopeCodec().decode(MarketTick.self, from: second.body).id == next.id)
        #expect(codec.encoded(EventType.analysis) == 2)
        // The topic still nobody subscribes to stays unencoded.
        #expect(codec.encoded(EventType.risk) == 0)
    }
}
