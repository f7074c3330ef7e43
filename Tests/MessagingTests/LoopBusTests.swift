import Foundation
import HedgeBusTesting
@testable import Messaging
import Synchronization
import Testing
import WireFormat
import WireProtocol

/// The bus run on a message loop (`all-agents`): publishers and subscribers in its process reach
/// it with no socket, clients elsewhere over TCP, and both meet as on a bus of its own.
@Suite("The bus on a message loop", .timeLimit(.minutes(2)))
struct LoopBusTests {
    static let tick = MarketTick(symbol: "BTC-USD", bid: 1, ask: 2, last: 1)

    static func envelope(_ type: String, source: String) -> Envelope<MarketTick> {
        Envelope.make(type: type, source: source, trace: .root(), payload: tick)
    }

    /// Returns once `loop` has run everything queued on it before.
    static func idle(_ loop: MessageLoop) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in loop.whenIdle { done.resume() } }
    }

    @Test func publicationsReachMatchingSubscribersInTheProcessAndOverTCPAndSubscriptionsReachPublishers() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let busLoop = try MessageLoop(name: "loop-bus")
        let bus = try await LoopBus.open(loop: busLoop, endpoints: endpoints)
        // In the bus's process: one agent publishing fills, one reading signals.
        let signals = BusSubscriber.onLoopBus(bus, topics: ["signal."]).messages
        let agent = BusPublisher.onLoopBus(bus)
        // Elsewhere, over TCP: one client injecting signals, one reading fills.
        let outside = try MessageLoop(name: "loop-bus-client")
        let fills = try await BusSubscriber.connect(loop: outside, endpoint: endpoints.subscribe, topics: ["fill."]).messages
        let client = try await GatedPublisher.connect(loop: outside, endpoint: endpoints.publish)
        // Each publisher hears the other side's subscription through the bus.
        #expect(await client.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(5)))
        #expect(await agent.subscriptions.wait(for: Data("fill.BTC-USD".utf8), timeout: .seconds(5)))
        #expect(agent.hasSubscriber(for: "signal.ETH-USD"))
        // Nobody subscribes to `market.`: an agent asking first does not build it.
        #expect(!agent.hasSubscriber(for: "market.BTC-USD"))

        try await client.publish(Self.envelope("signal", source: "client"), topic: "signal.BTC-USD")
        try agent.publish(Self.envelope("fill", source: "agent"), topic: "fill.BTC-USD")

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

    @Test func aPublicationBetweenSubscribersInTheProcessCrossesNoSocket() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let busLoop = try MessageLoop(name: "loop-bus-local")
        let bus = try await LoopBus.open(loop: busLoop, endpoints: endpoints)
        let accounts = BusSubscriber.onLoopBus(bus, topics: ["account."]).messages
        let desk = BusSubscriber.onLoopBus(bus, topics: ["account.desk", "heartbeat."]).messages
        let fills = BusSubscriber.onLoopBus(bus, topics: ["fill."]).messages
        let publisher = BusPublisher.onLoopBus(bus)
        await Self.idle(busLoop)
        let before = busLoop.stats

        let sent = (0..<100).map { _ in Self.envelope("account", source: "market-maker") }
        for envelope in sent { try publisher.publish(envelope, topic: "account.desk") }
        try publisher.publish(Self.envelope("fill", source: "market-maker"), topic: "fill.BTC-USD")
        try publisher.publish(Self.envelope("account", source: "market-maker"), topic: "account.other")

        let codec = JSONEnvelopeCodec()
        // Each subscriber gets what its prefixes cover, in the order published.
        var accountIterator = accounts.makeAsyncIterator()
        var deskIterator = desk.makeAsyncIterator()
        for envelope in sent {
            #expect(try await accountIterator.next().map { try codec.decodeHeader(from: $0.body).id } == envelope.id)
            #expect(try await deskIterator.next().map { try codec.decodeHeader(from: $0.body).id } == envelope.id)
        }
        #expect(await accountIterator.next()?.topic == "account.other")
        var fillIterator = fills.makeAsyncIterator()
        #expect(await fillIterator.next()?.topic == "fill.BTC-USD")
        // Nothing was sent or read on a socket: no subscriber outside asked for any of it.
        await Self.idle(busLoop)
        #expect(busLoop.stats.sent == before.sent)
        #expect(busLoop.stats.received == before.received)
        #expect(bus.stats.forwarded == 102)

        bus.stop()
        // The stop ends every stream in the process, with nothing behind the last message.
        #expect(await deskIterator.next() == nil)
        #expect(await fillIterator.next() == nil)
        await busLoop.shutdown()
    }

    @Test func anEnvelopeReachesSubscribersThatTakeEnvelopesAsBuiltAndIsEncodedOnlyForThoseThatReadBodies() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let busLoop = try MessageLoop(name: "loop-bus-envelopes")
        let bus = try await LoopBus.open(loop: busLoop, endpoints: endpoints)
        let codec = CountingCodec()
        let publisher = BusPublisher.onLoopBus(bus, codec: codec)
        let typed = BusSubscriber.onLoopBus(bus, topics: ["account."], takesEnvelopes: true).messages
        var typedIterator = typed.makeAsyncIterator()

        // Only a subscriber that takes envelopes: nothing is encoded, the envelope arrives as built.
        let first = Self.envelope("account", source: "market-maker")
        try publisher.publish(first, topic: "account.desk")
        let handed = await typedIterator.next()
        #expect((handed?.envelope as? Envelope<MarketTick>) == first)
        #expect(handed?.body.isEmpty == true)
        #expect(codec.encodes == 0)

        // A subscriber that reads bodies as well: encoded once, the bytes for it, both for the other.
        let raw = BusSubscriber.onLoopBus(bus, topics: ["account.desk"]).messages
        var rawIterator = raw.makeAsyncIterator()
        let second = Self.envelope("account", source: "market-maker")
        try publisher.publish(second, topic: "account.desk")
        let read = await rawIterator.next()
        #expect(read?.envelope == nil)
        #expect(try read.map { try JSONEnvelopeCodec().decode(MarketTick.self, from: $0.body) } == second)
        let both = await typedIterator.next()
        #expect((both?.envelope as? Envelope<MarketTick>) == second)
        #expect(both?.body == read?.body)
        #expect(codec.encodes == 1)

        // A topic only the typed subscriber covers is still not encoded; one nobody covers goes nowhere.
        try publisher.publish(Self.envelope("account", source: "market-maker"), topic: "account.other")
        #expect(await typedIterator.next()?.body.isEmpty == true)
        #expect(codec.encodes == 1)

        // An envelope that cannot be encoded fails the publication when someone needs its bytes.
        codec.failing = true
        #expect(throws: ProtocolError.self) { try publisher.publish(Self.envelope("account", source: "market-maker"), topic: "account.desk") }

        bus.stop()
        await busLoop.shutdown()
    }

    @Test func framesFromOutsideThatAreNotATopicAndABodyAreCountedAndNotDelivered() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let busLoop = try MessageLoop(name: "loop-bus-malformed")
        let bus = try await LoopBus.open(loop: busLoop, endpoints: endpoints)
        let signals = MessageLoop.$owner.withValue("trading-director") { BusSubscriber.onLoopBus(bus, topics: ["signal."]).messages }
        let outside = try MessageLoop(name: "loop-bus-sender")
        let client = try await GatedPublisher.connect(loop: outside, endpoint: endpoints.publish)
        #expect(await client.awaitSubscriber(for: "signal.x", timeout: .seconds(5)))

        let body = Data("{}".utf8)
        try await client.publishRaw([Data("signal.three".utf8), body, body])
        try await client.publishRaw([Data("signal.".utf8) + Data([0xFF, 0xFE]), body])
        try await client.publishRaw([Data("signal.ok".utf8), body])

        // One connection keeps order: the good message arrives after both bad ones were read.
        var iterator = signals.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.topic == "signal.ok")
        #expect(first?.body == body)
        #expect(busLoop.problems(of: "trading-director").malformedDrops == 2)

        bus.stop()
        await outside.shutdown()
        await busLoop.shutdown()
    }

    @Test func aSubscriptionAfterTheStopEndsAtOnceAndAPublicationIsDropped() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let busLoop = try MessageLoop(name: "loop-bus-stopped")
        let bus = try await LoopBus.open(loop: busLoop, endpoints: endpoints)
        bus.stop()
        let late = BusSubscriber.onLoopBus(bus, topics: [""]).messages
        try BusPublisher.onLoopBus(bus).publish(Self.envelope("fill", source: "agent"), topic: "fill.BTC-USD")
        var iterator = late.makeAsyncIterator()
        #expect(await iterator.next() == nil)
        #expect(bus.stats.forwarded == 0)
        await busLoop.shutdown()
    }

    @Test func itsHeartbeatsReachSubscribersUntilItStops() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let busLoop = try MessageLoop(name: "loop-bus-beats")
        let bus = try await LoopBus.open(loop: busLoop, endpoints: endpoints)
        let outside = try MessageLoop(name: "loop-bus-watcher")
        let beats = try await BusSubscriber.connect(loop: outside, endpoint: endpoints.subscribe, topics: ["heartbeat.bus"]).messages
        let beatsInProcess = BusSubscriber.onLoopBus(bus, topics: ["heartbeat."]).messages
        let counter = Counter()
        bus.beat(every: .milliseconds(20)) { stats in
            counter.increment()
            return [Data("heartbeat.bus".utf8), Data("{\"forwarded\":\(stats.forwarded)}".utf8)]
        }
        var iterator = beats.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.topic == "heartbeat.bus")
        var inProcessIterator = beatsInProcess.makeAsyncIterator()
        #expect(await inProcessIterator.next()?.topic == "heartbeat.bus")
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

/// The wire codec, counting its encodes; with `failing`, every encode throws.
private final class CountingCodec: EnvelopeCodec {
    private let state = Mutex((encodes: 0, failing: false))
    var encodes: Int { state.withLock { $0.encodes } }
    var failing: Bool {
        get { state.withLock { $0.failing } }
        set { state.withLock { $0.failing = newValue } }
    }

    func encode<P: MessagePayload>(_ envelope: Envelope<P>) throws(ProtocolError) -> Data {
        let failing = state.withLock { state in
            state.encodes += 1
            return state.failing
        }
        if failing { throw ProtocolError(.invalidValue, "cannot encode '\(envelope.type)'") }
        return try JSONEnvelopeCodec().encode(envelope)
    }

    func decode<P: MessagePayload>(_ type: P.Type, from data: Data) throws(ProtocolError) -> Envelope<P> {
        try JSONEnvelopeCodec().decode(P.self, from: data)
    }
}

/// A count shared with the loop thread.
private final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
