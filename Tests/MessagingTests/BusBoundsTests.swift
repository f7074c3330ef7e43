import Foundation
import HedgeBusTesting
@testable import Messaging
import Testing
import WireFormat
import WireProtocol

/// What the bus refuses: messages that are not a topic and a body are counted and skipped;
/// a message over the size limit is never forwarded, and the bus keeps working after it.
@Suite("Bus bounds", .timeLimit(.minutes(2)))
struct BusBoundsTests {
    static func tick(_ symbol: String) -> Envelope<MarketTick> {
        Envelope.make(type: "test", source: "t", trace: .root(), payload: MarketTick(symbol: symbol, bid: 1, ask: 2, last: 1))
    }

    /// A bus on free ports, a subscriber to `signal.*` and a loop for a publisher, for `body`;
    /// stopped afterwards, also when `body` throws.
    static func withBus(_ body: (BusProxy, BusProxy.Endpoints, MessageLoop, MessageLoop, BusMessages) async throws -> Void) async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await proxy.run() }
        let subscriberLoop = try MessageLoop(name: "bounds-sub")
        let publisherLoop = try MessageLoop(name: "bounds-pub")
        do {
            let signals = try await BusSubscriber.connect(loop: subscriberLoop, endpoint: endpoints.subscribe, topics: ["signal."]).messages
            try await body(proxy, endpoints, subscriberLoop, publisherLoop, signals)
        } catch {
            proxy.stop()
            _ = try? await running.value
            await publisherLoop.shutdown()
            await subscriberLoop.shutdown()
            throw error
        }
        proxy.stop()
        try await running.value
        await publisherLoop.shutdown()
        await subscriberLoop.shutdown()
    }

    @Test func framesThatAreNotATopicAndABodyAreCountedAndSkipped() async throws {
        try await Self.withBus { _, endpoints, subscriberLoop, publisherLoop, signals in
            let publisher = try await GatedPublisher.connect(loop: publisherLoop, endpoint: endpoints.publish)
            #expect(await publisher.awaitSubscriber(for: "signal.X", timeout: .seconds(5)))
            let body = try JSONEnvelopeCodec().encode(Self.tick("X"))
            try await publisher.publishRaw([Data("signal.X".utf8)])
            try await publisher.publishRaw([Data("signal.X".utf8), body, Data("extra".utf8)])
            try await publisher.publishRaw([Data([0x73, 0x69, 0x67, 0x6e, 0x61, 0x6c, 0x2e, 0xff]), body])
            try await publisher.publish(Self.tick("valid"), topic: "signal.valid")
            var iterator = signals.makeAsyncIterator()
            let first = await iterator.next()
            #expect(first?.topic == "signal.valid")
            // One connection keeps order: the three before it were read (and dropped) first.
            #expect(subscriberLoop.stats.malformedDrops == 3)
        }
    }

    @Test func aMessageOverTheLimitIsNeverForwardedAndTheBusCarriesOn() async throws {
        try await Self.withBus { proxy, endpoints, subscriberLoop, publisherLoop, signals in
            let publisher = try await BusPublisher.connect(loop: publisherLoop, endpoint: endpoints.publish)
            let limit = Int(SocketOptions.defaultMaxMessageSize)
            let huge = Data(repeating: UInt8(ascii: "x"), count: limit + 1)
            var iterator = signals.makeAsyncIterator()
            /// Publishes `topic` every 20 ms (5 s at most) until the subscriber receives a message
            /// other than a late one of topic `stale` (the earlier handshake sent several), and
            /// returns it. The publishing goes on while late ones come: stopped then, it could
            /// leave none of `topic` sent, or all of them lost while the publisher reconnects.
            func untilReceived(_ topic: String, skipping stale: String? = nil) async -> BusMessage? {
                let sending = Task {
                    for _ in 0..<250 {
                        try? publisher.publish(Self.tick("small"), topic: topic)
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                }
                defer { sending.cancel() }
                while let message = await iterator.next() {
                    if let stale, message.topic == stale { continue }
                    return message
                }
                return nil
        }
        // The handshake: the subscription has reached the publisher.
        #expect(await untilReceived("signal.before")?.topic == "signal.before")
        // Then an oversized message, then small ones: were the big one forwarded, it would
        // arrive first (one connection keeps order).
        try await publisherLoop.send([Data("signal.huge".utf8), huge], on: try #require(publisher.socket))
        let next = await untilReceived("signal.after", skipping: "signal.before")
        #expect(next?.topic == "signal.after")
        #expect(next.map { $0.body.count < limit } == true)
        // libzmq closed the publisher's connection for it (the publisher reconnected): the bus's
        // monitor counted that, the only trace libzmq leaves of the drop.
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while proxy.stats.connections.closed == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(proxy.stats.connections.closed == 1)
        }
    }
}
