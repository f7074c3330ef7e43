import Foundation
import HedgeBusTesting
@testable import Messaging
import Testing
import WireFormat
import WireProtocol

@Suite("Bus proxy and pub/sub", .timeLimit(.minutes(2)))
struct BusTests {
    @Test func messagesFlowThroughTheProxyOnlyToMatchingSubscribers() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: FreePort.endpoint())
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await proxy.run() }
        let loop = try MessageLoop(name: "bus-test")
        let fills = try await BusSubscriber.connect(loop: loop, endpoint: endpoints.subscribe, topics: ["fill."]).messages
        let publisher = try await GatedPublisher.connect(loop: loop, endpoint: endpoints.publish)
        // The handshake: the publisher hears the subscriber's prefix through the bus.
        #expect(await publisher.awaitSubscriber(for: "fill.BTC-USD", timeout: .seconds(5)))
        let codec = JSONEnvelopeCodec()
        for (index, topic) in ["signal.BTC-USD", "fill.BTC-USD", "fill.ETH-USD"].enumerated() {
            let envelope = Envelope.make(type: "test", source: "t", trace: .root(), payload: MarketTick(symbol: "\(index)", bid: 1, ask: 2, last: 1))
            try await publisher.publish(envelope, topic: topic)
        }
        var received: [String] = []
        for await message in fills {
            received.append(message.topic)
            #expect(try codec.decodeHeader(from: message.body).type == "test")
            if received.count == 2 { break }
        }
        #expect(received == ["fill.BTC-USD", "fill.ETH-USD"])
        proxy.stop()
        try await running.value
        // Nobody subscribes to signal.*, so the publisher filtered it out before the bus. (Read
        // once the proxy has stopped: it counts a batch after sending it on, so a subscriber can
        // hold the messages before the count does.)
        #expect(proxy.stats.forwarded == 2)
        await loop.shutdown()
    }

    @Test func subscriberStreamEndsWhenItsLoopShutsDown() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await proxy.run() }
        let subscriberLoop = try MessageLoop(name: "sub-ends")
        let publisherLoop = try MessageLoop(name: "pub-ends")
        let fills = try await BusSubscriber.connect(loop: subscriberLoop, endpoint: endpoints.subscribe, topics: ["fill."]).messages
        let publisher = try await GatedPublisher.connect(loop: publisherLoop, endpoint: endpoints.publish)
        #expect(await publisher.awaitSubscriber(for: "fill.BTC-USD", timeout: .seconds(5)))
        let envelope = Envelope.make(type: "test", source: "t", trace: .root(), payload: MarketTick(symbol: "BTC-USD", bid: 1, ask: 2, last: 1))
        try await publisher.publish(envelope, topic: "fill.BTC-USD")
        // The consumer reads until the stream ends; it must end once the loop is shut down (a
        // consumer still reading after 10 s is cancelled, which ends its loop and fails the test).
        let consumer = Task { () -> (count: Int, cancelled: Bool) in
            var count = 0
            for await _ in fills { count += 1 }
            return (count, Task.isCancelled)
        }
        // The first message is read before the shutdown: wait for it through the loop's counter.
        let deadline = ContinuousClock.now + .seconds(10)
        while subscriberLoop.stats.received < 1 && ContinuousClock.now < deadline { await Task.yield() }
        #expect(subscriberLoop.stats.received == 1)
        await subscriberLoop.shutdown()
        let timeout = Task {
            try await Task.sleep(for: .seconds(10))
            consumer.cancel()
        }
        let outcome = await consumer.value
        timeout.cancel()
        #expect(!outcome.cancelled, "the stream did not end within 10 s of its loop's shutdown")
        #expect(outcome.count == 1)
        proxy.stop()
        try await running.value
        await publisherLoop.shutdown()
    }

    @Test func captureTapGetsACopyOfEveryForwardedMessage() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: FreePort.endpoint())
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await proxy.run() }
        let loop = try MessageLoop(name: "tap-test")
        _ = try await BusSubscriber.connect(loop: loop, endpoint: endpoints.subscribe, topics: ["order."])
        let tap = try await BusSubscriber.connect(loop: loop, endpoint: endpoints.capture!, topics: [""]).messages
        let publisher = try await GatedPublisher.connect(loop: loop, endpoint: endpoints.publish)
        guard await publisher.awaitSubscriber(for: "order.X", timeout: .seconds(5)) else {
            // Nothing would reach the tap either: stop here rather than wait for it.
            Issue.record("the publisher never saw the subscription to order.")
            proxy.stop()
            try await running.value
            await loop.shutdown()
            return
        }
        let envelope = Envelope.make(type: "order", source: "t", trace: .root(), payload: MarketTick(symbol: "X", bid: 1, ask: 2, last: 1))
        // The tap's own subscription travels to the capture PUB asynchronously: publish until the
        // tap acknowledges by receiving, then count what follows.
        let warm = Task {
            for _ in 0..<250 where !Task.isCancelled {
                try await publisher.publish(envelope, topic: "order.warmup")
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        var iterator = tap.makeAsyncIterator()
        #expect(await iterator.next()?.topic == "order.warmup")
        warm.cancel()
        _ = await warm.result
        try await publisher.publish(envelope, topic: "order.final")
        var last: String?
        while let message = await iterator.next() {
            last = message.topic
            if last == "order.final" { break }
        }
        #expect(last == "order.final")
        proxy.stop()
        try await running.value
        await loop.shutdown()
    }

    @Test func awaitSubscriberTimesOutWhenNobodyListens() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await proxy.run() }
        let loop = try MessageLoop(name: "bus-test")
        let publisher = try await GatedPublisher.connect(loop: loop, endpoint: endpoints.publish)
        #expect(await publisher.awaitSubscriber(for: "signal.X", timeout: .milliseconds(300)) == false)
        proxy.stop()
        try await running.value
        await loop.shutdown()
    }

    @Test func proxyReportsAPortInUse() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let first = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await first.run() }
        let loop = try MessageLoop(name: "bus-test")
        // A subscriber on the first proxy proves it has bound before the second one tries.
        let publisher = try await GatedPublisher.connect(loop: loop, endpoint: endpoints.publish)
        _ = try await BusSubscriber.connect(loop: loop, endpoint: endpoints.subscribe, topics: ["x"])
        #expect(await publisher.awaitSubscriber(for: "x", timeout: .seconds(5)))
        let second = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60)) { _ in nil }
        await #expect { try await second.run() } throws: { ($0 as? ZMQError)?.code == .addressInUse }
        first.stop()
        try await running.value
        await loop.shutdown()
    }

    @Test func heartbeatsArePublishedByTheProxy() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .milliseconds(20)) { stats in
            [Data("heartbeat.bus".utf8), Data("{\"forwarded\":\(stats.forwarded)}".utf8)]
        }
        let running = Task { try await proxy.run() }
        let loop = try MessageLoop(name: "bus-test")
        let beats = try await BusSubscriber.connect(loop: loop, endpoint: endpoints.subscribe, topics: ["heartbeat."]).messages
        var count = 0
        for await message in beats {
            #expect(message.topic == "heartbeat.bus")
            count += 1
            if count == 3 { break }
        }
        #expect(count == 3)
        proxy.stop()
        try await running.value
        await loop.shutdown()
    }
}

@Suite("Message loop", .timeLimit(.minutes(2)))
struct MessageLoopTests {
    @Test func operationsAfterShutdownReportTerminated() async throws {
        let loop = try MessageLoop(name: "done")
        let (socket, _) = try await loop.open(SocketSpec(kind: .pub, binds: ["tcp://127.0.0.1:*"]))
        #expect(socket.boundEndpoints.first?.hasPrefix("tcp://127.0.0.1:") == true)
        await loop.shutdown()
        await loop.shutdown()
        await #expect { try await loop.send([Data("x".utf8)], on: socket) } throws: { ($0 as? ZMQError)?.code == .terminated }
        await #expect { _ = try await loop.open(SocketSpec(kind: .sub)) } throws: { ($0 as? ZMQError)?.code == .terminated }
    }

    @Test func failedOpenLeavesTheLoopUsable() async throws {
        let loop = try MessageLoop(name: "retry")
        await #expect { _ = try await loop.open(SocketSpec(kind: .rep, binds: ["bogus"])) } throws: { $0 is ZMQError }
        let (socket, _) = try await loop.open(SocketSpec(kind: .rep, binds: ["tcp://127.0.0.1:*"]))
        #expect(!socket.boundEndpoints.isEmpty)
        await loop.shutdown()
    }
}
