import Foundation
import HedgeBusTesting
@testable import Messaging
import Testing
import WireFormat
import WireProtocol

/// A `BusPublisher` knows which topics someone subscribes to through the bus, so agents can skip
/// building events nobody would receive; it still delivers what is subscribed to.
@Suite("Publisher subscriptions", .timeLimit(.minutes(2)))
struct PublisherSubscriptionTests {
    @Test func publisherLearnsSubscriptionsAndTheirEndThroughTheBus() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await proxy.run() }
        let publisherLoop = try MessageLoop(name: "publisher")
        let publisher = try await BusPublisher.connect(loop: publisherLoop, endpoint: endpoints.publish)
        #expect(publisher.hasSubscriber(for: "trace.risk-manager") == false)

        let subscriberLoop = try MessageLoop(name: "subscriber")
        let traces = try await BusSubscriber.connect(loop: subscriberLoop, endpoint: endpoints.subscribe, topics: ["trace."]).messages
        // The handshake: the subscription travels subscriber → bus → publisher.
        #expect(await publisher.subscriptions.wait(for: Data("trace.risk-manager".utf8), timeout: .seconds(5)))
        #expect(publisher.hasSubscriber(for: "trace.risk-manager"))
        #expect(publisher.hasSubscriber(for: "trace."))
        #expect(publisher.hasSubscriber(for: "order.BTC-USD") == false)
        #expect(publisher.hasSubscriber(for: "trace") == false)

        // Sending works as through a PUB: the subscribed topic arrives, the other is filtered.
        let tick = MarketTick(symbol: "X", bid: 1, ask: 2, last: 1)
        try publisher.publish(Envelope.make(type: "test", source: "t", trace: .root(), payload: tick), topic: "order.X")
        try publisher.publish(Envelope.make(type: "test", source: "t", trace: .root(), payload: tick), topic: "trace.risk-manager")
        var iterator = traces.makeAsyncIterator()
        #expect(await iterator.next()?.topic == "trace.risk-manager")

        // The subscriber goes away: its subscription ends at the publisher too.
        await subscriberLoop.shutdown()
        #expect(await publisher.subscriptions.wait(for: Data("trace.risk-manager".utf8), covered: false, timeout: .seconds(10)))
        #expect(publisher.hasSubscriber(for: "trace.risk-manager") == false)
        proxy.stop()
        try await running.value
        await publisherLoop.shutdown()
    }

    @Test func anEmptyPrefixCoversEveryTopic() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await proxy.run() }
        let loop = try MessageLoop(name: "everything")
        let publisher = try await BusPublisher.connect(loop: loop, endpoint: endpoints.publish)
        _ = try await BusSubscriber.connect(loop: loop, endpoint: endpoints.subscribe, topics: [""])
        #expect(await publisher.subscriptions.wait(for: Data("trace.x".utf8), timeout: .seconds(5)))
        #expect(publisher.hasSubscriber(for: "order.ETH-USD"))
        #expect(publisher.hasSubscriber(for: "trace.quant-analyst"))
        proxy.stop()
        try await running.value
        await loop.shutdown()
    }
}
