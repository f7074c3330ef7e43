import Foundation
import WireFormat

/// One pub/sub message: its topic frame and its envelope frame.
public struct BusMessage: Sendable {
    /// The topic, `<type>.<qualifier>`.
    public var topic: String
    /// The JSON envelope, still encoded; empty when only `envelope` carries it.
    public var body: Data
    /// The envelope as its publisher built it (an `Envelope<P>`), when an agent of the bus's own
    /// process published it and the subscriber takes envelopes (`LoopBus.subscribe`): the
    /// subscriber reads it as is rather than decoding `body`, which is then empty unless another
    /// subscriber needed the bytes. Nil for whatever came through a socket.
    public var envelope: (any Sendable)?

    /// Creates a message.
    public init(topic: String, body: Data, envelope: (any Sendable)? = nil) {
        self.topic = topic
        self.body = body
        self.envelope = envelope
    }
}

/// Publishes envelopes to the bus's inbound (XSUB) endpoint, or, in the bus's own process,
/// hands them to its `LoopBus`.
public struct BusPublisher: Sendable {
    let loop: MessageLoop
    /// The XPUB socket it publishes through; nil when it hands its messages to `bus`.
    let socket: SocketHandle?
    /// The bus of its own process it hands its messages to; nil when it has a socket.
    let bus: LoopBus?
    let codec: any EnvelopeCodec
    /// The subscriptions its socket has been told about; with `bus`, those of subscribers
    /// outside the bus's process.
    let subscriptions: SubscriptionRegistry

    /// Connects an XPUB socket to `endpoint`: it sends as a PUB does (libzmq filters by the
    /// subscriptions the bus relays) and also hands those subscriptions to the loop thread, so
    /// `hasSubscriber(for:)` can answer. The high-water mark is raised so bursts queue rather
    /// than vanish. With `curve` (a `.client` role) it proves its identity to a CURVE bus.
    public static func connect(loop: MessageLoop, endpoint: String, codec: any EnvelopeCodec = JSONEnvelopeCodec(),
                               highWaterMark: Int32 = 100_000, curve: CurveRole? = nil) async throws -> BusPublisher {
        var options = SocketOptions()
        options.sendHighWaterMark = highWaterMark
        options.curve = curve
        let subscriptions = SubscriptionRegistry()
        // Not verbose: libzmq reports the first subscription to a prefix and the end of the last.
        let socket = try await loop.open(SocketSpec(kind: .xpub, connects: [endpoint], options: options)) { frames in
            subscriptions.apply(frames)
        }
        return BusPublisher(loop: loop, socket: socket, bus: nil, codec: codec, subscriptions: subscriptions)
    }

    /// A publisher in `bus`'s own process: each envelope is handed to the bus
    /// (`LoopBus.publish(topic:envelope:filtered:encode:)`), which yields it as built to the
    /// subscribers in the process that take envelopes, and encodes it once only when someone
    /// needs the bytes (a subscriber outside, the capture tap, a subscriber in the process that
    /// reads the body); no socket.
    public static func onLoopBus(_ bus: LoopBus, codec: any EnvelopeCodec = JSONEnvelopeCodec()) -> BusPublisher {
        BusPublisher(loop: bus.loop, socket: nil, bus: bus, codec: codec, subscriptions: bus.outsideSubscriptions)
    }

    /// Whether a subscription covers `topic`: one the bus relayed as of the last subscription
    /// change the loop thread has read, or, on the bus's own loop, one made in the process or
    /// read from outside. A message nobody subscribes to is dropped inside the send anyway;
    /// asking first lets a publisher skip building it. A subscription takes effect here a moment
    /// after libzmq's own filter applies it (once the loop reads it), so a subscriber sees such
    /// messages from shortly after it subscribed on, as with any pub/sub.
    public func hasSubscriber(for topic: String) -> Bool {
        bus?.hasSubscriber(for: topic) ?? subscriptions.covers(topic)
    }

    /// Changes so far to the subscriptions `hasSubscriber(for:)` answers from: while the count
    /// stays the same, so do its answers (`TopicInterest`).
    var subscriptionChanges: UInt64 { bus?.subscriptionChanges ?? subscriptions.changeCount }

    /// Encodes and queues `envelope` under `topic` (or hands it to the bus); never blocks. With
    /// `filtered` false (heartbeats, which a subscriber may await right after subscribing), the
    /// bus of its own process sends it on to the outside even before it has read a subscription
    /// covering it, libzmq's filter alone deciding, as a socket would.
    public func publish<P>(_ envelope: Envelope<P>, topic: String, filtered: Bool = true) throws(ProtocolError) {
        if let bus {
            try bus.publish(topic: topic, envelope: envelope, filtered: filtered) { () throws(ProtocolError) in try codec.encode(envelope) }
        } else if let socket {
            loop.post([Data(utf8Of: topic), try codec.encode(envelope)], on: socket)
        }
    }
}

/// Receives the bus's outbound (XPUB) stream for a set of topic prefixes.
public struct BusSubscriber: Sendable {
    /// Messages in arrival order, ending when the subscriber's loop shuts down (on a `LoopBus`,
    /// when the bus stops). Frames that are not exactly a UTF-8 topic and a body are skipped and
    /// counted as malformed drops; messages the consumer is too far behind to take are counted as
    /// inbound drops; a message larger than 1 MiB drops the connection (libzmq reconnects it) and
    /// never reaches the process's memory.
    public let messages: BusMessages

    /// Connects a SUB socket to `endpoint`, subscribed to `topics` (prefixes; "" is everything).
    /// With `curve` (a `.client` role) it proves its identity to a CURVE bus, which may refuse it
    /// topics (then nothing of them arrives). `buffered` is how many messages may wait for the
    /// consumer before newer ones are dropped (and counted).
    public static func connect(loop: MessageLoop, endpoint: String, topics: [String],
                               highWaterMark: Int32 = 100_000, buffered: Int = 65_536,
                               curve: CurveRole? = nil) async throws -> BusSubscriber {
        var options = SocketOptions()
        options.curve = curve
        options.receiveHighWaterMark = highWaterMark
        options.subscriptions = topics
        options.maxMessageSize = SocketOptions.defaultMaxMessageSize
        let messages = BusMessages(capacity: buffered)
        let owner = MessageLoop.owner
        // Frames become messages on the loop thread: no hop through a pump task.
        // The socket stays subscribed until the loop shuts down, whoever holds the stream; then
        // the stream ends, so a consumer still waiting on it is not left waiting forever.
        _ = try await loop.open(SocketSpec(kind: .sub, connects: [endpoint], options: options),
                                closed: { messages.finish() }) { frames in
            guard frames.count == 2, let topic = String(data: frames[0], encoding: .utf8) else {
                loop.countMalformedDrop(owner: owner)
                return
            }
            if messages.offer(BusMessage(topic: topic, body: frames[1])) == .full { loop.countInboundDrop(owner: owner) }
        }
        return BusSubscriber(messages: messages)
    }

    /// Subscribes to `topics` on `bus`, in the bus's own process: messages are yielded to the
    /// stream as the bus reads them or is handed them, with no socket (`LoopBus.subscribe`;
    /// `takesEnvelopes` as there). The stream ends when the bus stops.
    public static func onLoopBus(_ bus: LoopBus, topics: [String], buffered: Int = 65_536,
                                 takesEnvelopes: Bool = false) -> BusSubscriber {
        BusSubscriber(messages: bus.subscribe(topics, buffered: buffered, takesEnvelopes: takesEnvelopes))
    }
}

