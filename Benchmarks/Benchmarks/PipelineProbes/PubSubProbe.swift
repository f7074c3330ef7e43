import Foundation
import Messaging
import WireFormat
import WireProtocol

/// Messages per second from a `BusPublisher` through HedgeBus's bus (`BusProxy`) to a
/// `BusSubscriber`, each message a ~200-byte envelope, as a bus event would be.
enum PubSubProbe {
    static func run(count: Int) async throws {
        let publishPort = freePort()
        var subscribePort = freePort()
        while subscribePort == publishPort { subscribePort = freePort() }
        let endpoints = BusProxy.Endpoints(publish: "tcp://127.0.0.1:\(publishPort)", subscribe: "tcp://127.0.0.1:\(subscribePort)", capture: nil)
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(3600)) { _ in nil }
        let running = Task { try await proxy.run() }
        let subscriberLoop = try MessageLoop(name: "probe-sub")
        let publisherLoop = try MessageLoop(name: "probe-pub")
        // Queues above the whole stream on every side, as the raw baseline's are: the probe
        // measures throughput, and a message dropped anyway is a loss it reports.
        let queue = count + 1_000
        let subscriber = try await BusSubscriber.connect(loop: subscriberLoop, endpoint: endpoints.subscribe, topics: ["fill."],
                                                         highWaterMark: Int32(queue), buffered: queue)
        let publisher = try await BusPublisher.connect(loop: publisherLoop, endpoint: endpoints.publish, highWaterMark: Int32(queue))
        let fill = FillPayload(orderId: "O-1042", clientOrderId: "sig-9f1c2a7be03d441", account: "desk", symbol: "BTC-USD",
                               side: .buy, price: 60_012.5, qty: 0.23364996, fee: 14.02)
        let envelope = Envelope.make(type: EventType.fill, source: "market-maker", trace: .root(), payload: fill)
        var messages = subscriber.messages.makeAsyncIterator()
        // Handshake: publish until the first message arrives, so the subscription is in place.
        let probe = Task {
            for _ in 0..<1_000 {
                try? publisher.publish(envelope, topic: "fill.probe")
                // Cancelled: a message arrived, the handshake is done and the subscriber stays.
                do { try await Task.sleep(for: .milliseconds(10)) } catch { return }
            }
            // No message in 10 s: the bus is not forwarding; end the wait and fail.
            await subscriberLoop.shutdown()
        }
        guard await messages.next() != nil else {
            throw ProbeError("the bus delivered nothing within 10 s (is \(endpoints.publish) or \(endpoints.subscribe) taken?)")
        }
        probe.cancel()
        _ = await probe.result
        // Drain what the handshake left in flight before timing.
        try await Task.sleep(for: .milliseconds(200))
        let started = nanos()
        let sender = Task.detached {
            for _ in 0..<count { try publisher.publish(envelope, topic: "fill.BTC-USD") }
        }
        var received = 0, lastAt = started
        // Messages lost on the way never arrive: after 30 s the subscriber's loop is shut down,
        // which ends the stream, and what arrived by then is counted.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(30))
            await subscriberLoop.shutdown()
        }
        while received < count {
            guard let message = await messages.next() else { break }
            if message.topic == "fill.BTC-USD" {
                received += 1
                lastAt = nanos()
            }
        }
        watchdog.cancel()
        let elapsed = Double(lastAt - started) / 1e9
        try await sender.value
        // Where a loss happened: the subscriber's stream buffer (its consumer fell behind) or
        // before it (a high-water mark on the way).
        let bufferDrops = subscriberLoop.stats.inboundDrops
        emit("hedgebus bus pub/sub msgs/s", Double(received) / elapsed, "msgs/s", baseline: "raw pub/sub msgs/s",
             note: "encode + BusPublisher → BusProxy → BusSubscriber; lost \(count - received) of \(count)"
                + " (\(bufferDrops) by the subscriber's stream buffer)")
        proxy.stop()
        _ = try? await running.value
        await publisherLoop.shutdown()
        await subscriberLoop.shutdown()
    }

    /// A port nothing listens on now (bound and released by the kernel's choice).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A probe that could not measure, with why.
struct ProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
