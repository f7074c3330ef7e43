import Foundation
import HedgeBusTesting
@testable import Messaging
import Synchronization
import Testing
import WireFormat
import WireProtocol

/// The bus run on a message loop (`all-agents`): clients on the loop reach it in memory, clients
/// elsewhere over TCP, and both meet as on a bus of its own.
@Suite("The bus on a message loop", .timeLimit(.minutes(2)))
struct LoopBusTests {
    static let inProcess = LoopBus.InProcess(publish: "inproc://loop-bus-test.publish", subscribe: "inproc://loop-bus-test.subscribe")

    @Test func publicationsReachMatchingSubscribersInMemoryAndOverTCPAndSubscriptionsReachPublishers() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let busLoop = try MessageLoop(name: "loop-bus")
        let bus = try await LoopBus.open(loop: busLoop, endpoints: endpoints, inProcess: Self.inProcess)
        // On the bus's loop, over inproc: one agent publishing fills, one reading signals.
        let signals = try await BusSubscriber.connect(loop: busLoop, endpoint: Self.inProcess.subscribe, topics: ["signal."]).messages
        let agent = try await GatedPublisher.connect(loop: busLoop, endpoint: Self.inProcess.publish)
        // Elsewhere, over TCP: one client injecting signals, one reading fills.
        let outside = try MessageLoop(name: "loop-bus-client")
        let fills = try await BusSubscriber.connect(loop: outside, endpoint: endpoints.subscribe, topics: ["fill."]).messages
        let client = try await GatedPublisher.connect(loop: outside, endpoint: endpoints.publish)
        // Each publisher hears the other side's subscription through the bus.
        #expect(await client.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(5)))
        #expect(await agent.awaitSubscriber(for: "fill.BTC-USD", timeout: .seconds(5)))

        let tick = MarketTick(symbol: "BTC-USD", bid: 1, ask: 2, last: 1)
        try await client.publish(Envelope.make(type: "signal", source: "client", trace: .root(), payload: tick), topic: "signal.BTC-USD")
        try await agent.publish(Envelope.make(type: "fill", source: "agent", trace: .root(), payload: tick), topic: "fill.BTC-USD")
        // Nobody subscribes to `market.`: the agent's publisher drops it before the bus.
        try await agent.publish(Envelope.make(type: "market", source: "agent", trace: .root(), payload: tick), topic: "market.BTC-USD")

        let codec = JSONEnvelopeCodec()
        var signalIterator = signals.makeAsyncIterator()
        let signal = await signalIterator.next()
        #expect(signal?.topic == "signal.BTC-USD")
        #expect(try signal.map { try codec.decodeHeader(from: $0.body).source } == "client")
        var fillIterator = fills.makeAsyncIterator()
        let fill = await fillIterator.next()
        #expect(fill?.topic == "fill.BTC-USD")
        #expect(try fill.map { try codec.decodeHeader(from: $0.body).source } == "agent")
        #expect(bus.stats.forwarded == 2)
        #expect(bus.stats.subscriptions >= 2)

        bus.stop()
        await outside.shutdown()
        await busLoop.shutdown()
    }

    @Test func itsHeartbeatsReachSubscribersUntilItStops() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let busLoop = try MessageLoop(name: "loop-bus-beats")
        let bus = try await LoopBus.open(loop: busLoop, endpoints: endpoints, inProcess: Self.inProcess)
        let outside = try MessageLoop(name: "loop-bus-watcher")
        let beats = try await BusSubscriber.connect(loop: outside, endpoint: endpoints.subscribe, topics: ["heartbeat.bus"]).messages
        let counter = Counter()
        bus.beat(every: .milliseconds(20)) { stats in
            counter.increment()
            return [Data("heartbeat.bus".utf8), Data("{\"forwarded\":\(stats.forwarded)}".utf8)]
        }
        var iterator = beats.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.topic == "heartbeat.bus")
        bus.stop()
        // Stopped: no beat is made any more (one already past its check may finish). The loop
        // runs its deadlines in order, so once a deadline three intervals on has run, every beat
        // due before it has had its turn.
        let madeAtStop = counter.value
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            busLoop.schedule(at: .now.advanced(by: .milliseconds(60))) { done.resume() }
        }
        #expect(counter.value <= madeAtStop + 1)
        await outside.shutdown()
        await busLoop.shutdown()
    }
}

/// A count shared with the loop thread.
private final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
