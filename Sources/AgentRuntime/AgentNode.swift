import Configuration
import Foundation
import Instrumentation
import Logging
import Messaging
import Metrics
import Synchronization
import WireFormat
import WireProtocol

/// One agent's connection to a topology: its message loop, its publisher on the bus, its
/// clients to other agents, and the counters its heartbeats report.
public final class AgentNode: Sendable {
    /// The agent's wire name (`source` of everything it sends).
    public let name: String
    /// The deployment it runs in.
    public let topology: Topology
    /// The agent's logger.
    public let logger: Logger
    /// The loop that owns the agent's sockets.
    public let loop: MessageLoop
    let publisher: BusPublisher
    /// The agent's CURVE identity and keys; nil when the topology does not use CURVE.
    public let credentials: TopologyCredentials?
    /// Pushes the spans of what the agent publishes to the topology's OTLP collector; nil without one.
    public let spanPush: SpanPush?
    /// The process's bus, when the agent shares its process (and its loop) with it and the other
    /// agents (`ProcessLinks`); nil when the agent runs as a process of its own.
    let bus: LoopBus?
    /// Whether the agent shares its process (and its loop) with the other agents, which it then
    /// reaches at their `inproc://` endpoints (`ProcessLinks`) rather than over TCP.
    public var inProcess: Bool { bus != nil }
    /// The same, as agents' logic asks it (`EventPublishing.sharesLoopWithPeers`).
    public var sharesLoopWithPeers: Bool { inProcess }
    let startedUs = WallClock.micros()
    let counters = Mutex((handled: 0, errors: 0))
    private let receivedCounters = Mutex<[ObjectIdentifier: Counter]>([:])
    private let publishedCounters = Mutex<[String: Counter]>([:])
    /// Per drop reason: when a drop was last logged, and how many were not logged since.
    private let dropLog = Mutex<[String: (lastUs: Int64?, unlogged: Int)]>([:])
    /// Whether anyone subscribes to the agent's `trace.<agent>` hops, asked at every hop.
    private let traceInterest: TopicInterest
    private let heldHops = HeldHops()

    /// Starts a message loop and connects the publisher to the bus, encoding what it publishes
    /// with `codec`. On a CURVE topology it loads the keys of `identity` (the name, unless given)
    /// and runs a ZAP handler accepting the clients the topology lists for it.
    public static func start(name: String, identity: String? = nil, topology: Topology, logger: Logger,
                             codec: any EnvelopeCodec = JSONEnvelopeCodec()) async throws -> AgentNode {
        let credentials = try TopologyCredentials.load(topology: topology, identity: identity ?? name)
        let loop = try MessageLoop(name: name, zap: try credentials?.ownZapPolicy(), busyPoll: topology.busyPoll)
        let publisher = try await BusPublisher.connect(loop: loop, endpoint: topology.bus.publish, codec: codec,
                                                       curve: try credentials?.client(of: busName))
        return AgentNode(name: name, topology: topology, logger: logger, loop: loop, publisher: publisher, credentials: credentials,
                         bus: nil)
    }

    /// Joins `links`' process: the agent runs on the process's one loop, reaches the other
    /// agents at their `inproc://` endpoints, and publishes and subscribes through `bus`, the
    /// process's bus on that loop, with no socket. Without CURVE (`ProcessLinks` refuses a
    /// topology that turns it on).
    public static func start(name: String, topology: Topology, logger: Logger, links: ProcessLinks, bus: LoopBus) -> AgentNode {
        AgentNode(name: name, topology: topology, logger: logger, loop: links.loop, publisher: .onLoopBus(bus), credentials: nil,
                  bus: bus)
    }

    private init(name: String, topology: Topology, logger: Logger, loop: MessageLoop, publisher: BusPublisher, credentials: TopologyCredentials?,
                 bus: LoopBus?) {
        self.bus = bus
        self.credentials = credentials
        spanPush = topology.otlp.flatMap { SpanPush(section: $0, logger: logger) }
        self.name = name
        self.topology = topology
        self.logger = logger
        self.loop = loop
        self.publisher = publisher
        traceInterest = TopicInterest(topic: Topic.trace(name), publisher: publisher)
    }

    /// Publishes `payload` as an envelope of `type` under `topic` in `trace`, and returns it.
    ///
    /// The envelope goes on the bus only when a subscription the bus relayed covers `topic`:
    /// otherwise libzmq would drop it inside the send, after it had been encoded and queued, so
    /// it is neither (the span push, when there is one, still gets it). A subscriber sees the
    /// topic's events from when its subscription has reached this agent's loop on, a moment after
    /// it subscribed, as with any pub/sub. Heartbeats are always sent, libzmq's filter alone
    /// deciding: a few a second, and whoever checks liveness (`hedgectl status`) subscribes just
    /// before it judges by the next beat, which must not wait for the loop to read the subscription.
    ///
    /// Agents publish through `any EventPublishing`, so this runs as generic code, which looked
    /// up `Envelope<P>`'s metadata and copied the payload through its value witnesses for every
    /// event. It is specialized for the events of a trading cycle and the venue's ticks, and the
    /// generic entry goes to those specializations when `P` is one of them (docs/PERFORMANCE.md,
    /// change 114).
    @discardableResult
    @_specialize(where P == AnalysisReport)
    @_specialize(where P == RiskVerdict)
    @_specialize(where P == OrderReport)
    @_specialize(where P == FillPayload)
    @_specialize(where P == InventorySnapshot)
    @_specialize(where P == DecisionPayload)
    @_specialize(where P == MarketTick)
    public func publish<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext) -> Envelope<P> {
        guard type != EventType.heartbeat else {
            // Every hop that ended before a heartbeat is published before it (see `hopObserver`).
            publishHeldHops()
            return emit(payload, type: type, topic: topic, trace: trace, toBus: true)
        }
        return emit(payload, type: type, topic: topic, trace: trace, toBus: publisher.hasSubscriber(for: topic))
    }

    /// Runs `work` on the loop once it has nothing else to do (`MessageLoop.whenIdle`): after
    /// the reply the current handler returns has been sent, and after whatever else that
    /// wake-up of the loop released.
    public func afterPendingSends(_ work: @escaping @Sendable () -> Void) {
        loop.whenIdle(work)
    }

    /// Builds the envelope, sends it on the bus when `toBus`, and offers it to the span push.
    @discardableResult
    private func emit<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext, toBus: Bool) -> Envelope<P> {
        let envelope = Envelope.make(type: type, source: name, trace: trace, payload: payload)
        do {
            if toBus {
                try publisher.publish(envelope, topic: topic, filtered: type != EventType.heartbeat)
                published(type).increment()
            }
            // Heartbeats, ticks and tick-round account events are the clock's, not a cycle's.
            if let spanPush, type != EventType.heartbeat, type != EventType.market, type != EventType.account || trace.parentId != nil {
                spanPush.offer(envelope)
            }
        } catch {
            logger.error("cannot publish \(type): \(error)", metadata: ["trace_id": .string(trace.traceId)])
        }
        return envelope
    }

    /// The published-messages counter of event `type` (types come from a bounded set).
    private func published(_ type: String) -> Counter {
        if let known = publishedCounters.withLock({ $0[type] }) { return known }
        let made = Instruments.counter("hedgebus_messages_published_total", [("type", type)])
        publishedCounters.withLock { $0[type] = made }
        return made
    }

    /// A client for `agent`'s req/rep endpoint, reporting each hop as a `trace.<agent>` event: its
    /// `inproc://` endpoint when the agents share this process, its topology endpoint otherwise.
    public func client(for agent: AgentName, policy: RequestPolicy? = nil) async throws -> RequestClient {
        let policy = policy ?? RequestPolicy(attemptTimeout: .milliseconds(topology.requestTimeoutMs), attempts: topology.requestAttempts)
        let endpoint = inProcess ? ProcessLinks.endpoint(of: agent) : try topology.endpoint(of: agent).endpoint
        return try await RequestClient.connect(loop: loop, peer: agent.rawValue, endpoint: endpoint,
                                               source: name, policy: policy, observer: hopObserver,
                                               curve: try credentials?.client(of: agent.rawValue))
    }

    /// Subscribes to topics starting with any of `prefixes`. With `decoded` (for a consumer that
    /// reads each message through `decode(_:_:)` and never its body), what an agent of this
    /// process publishes comes as the envelope it built, neither encoded nor decoded on the way
    /// (`LoopBus.subscribe(_:buffered:takesEnvelopes:)`); from outside the process, as bytes.
    public func subscribe(_ prefixes: [String], decoded: Bool = false) async throws -> BusMessages {
        if let bus { return BusSubscriber.onLoopBus(bus, topics: prefixes, takesEnvelopes: decoded).messages }
        return try await BusSubscriber.connect(loop: loop, endpoint: topology.bus.subscribe, topics: prefixes,
                                               curve: try credentials?.client(of: busName)).messages
    }

    /// Decodes a bus message as `P`; a malformed one is logged, counted and dropped (nil). An
    /// envelope an agent of this process published (`BusMessage.envelope`) is taken as it was
    /// built, after the checks a decoded one passes.
    public func decode<P: MessagePayload>(_: P.Type, _ message: BusMessage) -> Envelope<P>? {
        do {
            let envelope: Envelope<P>
            if let built = message.envelope as? Envelope<P> {
                try built.validate()
                envelope = built
            } else {
                envelope = try JSONEnvelopeCodec().decode(P.self, from: message.body)
            }
            counters.withLock { $0.handled += 1 }
            received(P.self).increment()
            return envelope
        } catch {
            dropped(error, topic: message.topic)
            return nil
        }
    }

    /// Counts and logs a bus message dropped because it could not be read. The log is rate
    /// limited: at most one line a second per reason, saying how many were not logged since.
    public func dropped(_ error: ProtocolError, topic: String) {
        counters.withLock { $0.errors += 1 }
        Instruments.counter("hedgebus_messages_dropped_total", [("reason", error.code.rawValue)]).increment()
        let now = WallClock.micros()
        let unlogged: Int? = dropLog.withLock { log in
            let entry = log[error.code.rawValue, default: (lastUs: nil, unlogged: 0)]
            if let lastUs = entry.lastUs, now - lastUs < 1_000_000 {
                log[error.code.rawValue] = (entry.lastUs, entry.unlogged + 1)
                return nil
            }
            log[error.code.rawValue] = (now, 0)
            return entry.unlogged
        }
        guard let unlogged else { return }
        let more = unlogged > 0 ? " (and \(unlogged) more like it since the last line)" : ""
        logger.warning("dropped malformed message on '\(topic.prefix(80))': \(error)\(more)")
    }

    /// The received-messages counter of payload type `P`, found by type rather than by its
    /// printed name (printing a type's name is slow).
    private func received<P>(_: P.Type) -> Counter {
        let id = ObjectIdentifier(P.self)
        if let known = receivedCounters.withLock({ $0[id] }) { return known }
        let made = Instruments.counter("hedgebus_messages_received_total", [("payload", "\(P.self)")])
        receivedCounters.withLock { $0[id] = made }
        return made
    }

    /// Publishes each req/rep hop as a `trace.<agent>` event, parented to the request, to whoever
    /// subscribes to it, and offers it to the span push when there is one. When neither would
    /// take a hop that went well (no subscription covers the topic, no OTLP collector, debug
    /// lines not logged), the hop is not even built; a failed one is always logged.
    ///
    /// Hops are held and published together (`HeldHops`): at most 20 ms after the first of them
    /// ended, and always before the agent's next heartbeat, so a reader that waits for a
    /// heartbeat (`hedgectl trace tail` as it stops) has every hop that ended before it. An
    /// event's times are the hop's own, taken when it ended.
    public var hopObserver: HopObserver {
        // The span push and the logger's level are set for the node's life: whether they take
        // a routine hop is known now, and only the subscriptions are asked at each hop.
        let takesEveryHop = spanPush != nil || logger.logLevel <= .debug
        let interest = traceInterest
        let wantsRoutine: @Sendable () -> Bool = { takesEveryHop || interest.hasSubscriber }
        return HopObserver(wantsRoutine: wantsRoutine) { [weak self] hop in
            guard let self, heldHops.hold(hop) else { return }
            loop.schedule(at: .now + HeldHops.delay) { [weak self] in self?.publishHeldHops() }
        }
    }

    /// Publishes the hops held so far (see `hopObserver`); called before every heartbeat, and by
    /// `HopFlushing` once the agent's other services have stopped.
    func publishHeldHops() {
        let hops = heldHops.take()
        guard !hops.isEmpty else { return }
        let toBus = traceInterest.hasSubscriber
        for hop in hops { observe(hop, topic: traceInterest.topic, toBus: toBus) }
    }

    /// Publishes `hop` under `topic` when `toBus` or the span push takes it, and logs it: a
    /// failed hop as a warning, one that went well at debug level.
    private func observe(_ hop: RequestHop, topic: String, toBus: Bool) {
        if toBus || spanPush != nil {
            let trace = TraceContext(traceId: hop.trace.traceId, parentId: hop.requestId)
            emit(hop.payload, type: EventType.trace, topic: topic, trace: trace, toBus: toBus)
        }
        // Successful hops are routine (the trace events carry them); failures deserve attention.
        // The line is built only when its level is logged.
        logger.log(level: hop.outcome == "ok" ? .debug : .warning,
                   "\(hop.role.rawValue) \(hop.requestType) \(hop.peer) \(hop.outcome) \(hop.endUs - hop.startUs)µs\(hop.detail.map { ": \($0)" } ?? "")",
                   metadata: ["trace_id": .string(hop.trace.traceId)])
    }

    /// Microseconds since the node started.
    public var uptimeUs: Int64 { WallClock.micros() - startedUs }
}
