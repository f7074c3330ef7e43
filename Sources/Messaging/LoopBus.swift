import Foundation
import Synchronization
import WireFormat

/// The bus's forwarding run on a `MessageLoop`, for a process whose agents share that loop
/// (`all-agents`): publications XSUB → XPUB (and to the capture PUB, when configured),
/// subscriptions XPUB → XSUB, as `BusProxy` forwards them, but read and sent on the loop thread.
/// Outside publishers and subscribers connect to the topology's TCP endpoints as to a bus of its
/// own. The agents of the process use no socket to reach it: what they publish is handed to the
/// bus (`publish(topic:envelope:filtered:encode:)`, through `BusPublisher.onLoopBus`), and what
/// they subscribe to is yielded to their streams (`subscribe(_:buffered:takesEnvelopes:)`, through
/// `BusSubscriber.onLoopBus`) as it is read or handed over; an envelope goes from one agent to
/// another as the value its publisher built, encoded only for whoever needs its bytes. Without
/// CURVE (`BusProxy` serves secured topologies, on a thread of its own).
public final class LoopBus: Sendable {
    /// What the loop thread's handlers share with the bus's owner, under one lock: where
    /// publications go once the XPUB side is open (nil before: nobody can have subscribed yet;
    /// nil again once stopped), and the counters.
    private final class State: Sendable {
        struct Shared {
            var subscribers: SocketHandle?
            var publishers: SocketHandle?
            var capture: SocketHandle?
            var stats = BusProxy.Stats()
        }

        let shared = Mutex(Shared())
        /// The subscribers in the process.
        let local = LocalSubscribers()
        /// The prefixes subscribed to by subscribers outside the process (as the XPUB side
        /// reports them: the first subscription to a prefix and the end of the last).
        let outside = SubscriptionRegistry()
    }

    let loop: MessageLoop
    let sockets: [SocketHandle]
    private let state: State

    /// Binds both sides at `endpoints` (and the capture tap) on `loop`; a port in use throws
    /// `ZMQError` with code `.addressInUse`.
    public static func open(loop: MessageLoop, endpoints: BusProxy.Endpoints) async throws -> LoopBus {
        let options = BusProxy.sideOptions
        let state = State()
        var opened: [SocketHandle] = []
        do {
            var publishSpec = SocketSpec(kind: .xsub, binds: [endpoints.publish], options: options)
            publishSpec.monitorsConnections = true
            // When the loop stops (or the bus), the subscribers in the process learn that nothing more comes.
            let publishers = try await loop.open(publishSpec, closed: { state.local.close() }) { frames in
                let (subscribers, capture) = state.shared.withLock { shared in
                    if shared.subscribers != nil { shared.stats.forwarded += 1 }
                    return (shared.subscribers, shared.capture)
                }
                guard let subscribers else { return }
                state.local.deliver(frames, loop: loop)
                loop.post(frames, on: subscribers)
                if let capture { loop.post(frames, on: capture) }
            }
            opened.append(publishers)
            var subscribeSpec = SocketSpec(kind: .xpub, binds: [endpoints.subscribe], options: options)
            subscribeSpec.monitorsConnections = true
            let subscribers = try await loop.open(subscribeSpec) { frames in
                state.outside.apply(frames)
                loop.post(frames, on: publishers)
                state.shared.withLock { $0.stats.subscriptions += 1 }
            }
            opened.append(subscribers)
            var capture: SocketHandle?
            if let endpoint = endpoints.capture {
                let tap = try await loop.open(SocketSpec(kind: .pub, binds: [endpoint], options: options)) { _ in }
                opened.append(tap)
                capture = tap
            }
            state.shared.withLock { [capture] in
                $0.subscribers = subscribers
                $0.publishers = publishers
                $0.capture = capture
            }
        } catch {
            for socket in opened { loop.close(socket) }
            throw error
        }
        return LoopBus(loop: loop, sockets: opened, state: state)
    }

    private init(loop: MessageLoop, sockets: [SocketHandle], state: State) {
        self.loop = loop
        self.sockets = sockets
        self.state = state
    }

    /// Counters so far (forwarded publications, and subscription changes from inside the
    /// process and out).
    public var stats: BusProxy.Stats { state.shared.withLock { $0.stats } }

    /// The prefixes subscribers outside the process subscribe to, as the loop has read them.
    var outsideSubscriptions: SubscriptionRegistry { state.outside }

    /// Whether a subscriber in the process or outside covers `topic`, for a publisher in the
    /// process to ask before it builds a message (`BusPublisher.hasSubscriber(for:)`).
    public func hasSubscriber(for topic: String) -> Bool {
        state.local.covers(topic) || state.outside.covers(topic)
    }

    /// Changes so far to the subscriptions `hasSubscriber(for:)` answers from, in the process
    /// and outside: while the count stays the same, so do its answers.
    var subscriptionChanges: UInt64 { state.local.changeCount &+ state.outside.changeCount }

    /// Publishes a message from the process: yielded at once to the subscribers in the process
    /// whose prefix matches `topic` (as `envelope` to those that take envelopes), and queued on
    /// the XPUB side when a subscriber outside subscribes to it (with `filtered` false, always:
    /// libzmq's filter then decides, and it may know of a subscription the loop has yet to
    /// read), and on the capture tap. `encode` makes the bytes, called once and only when one of
    /// those or a subscriber in the process that reads bodies is there to take them; its error
    /// is thrown before anything is delivered. Callable from any thread; nothing once stopped.
    public func publish(topic: String, envelope: any Sendable, filtered: Bool = true,
                        encode: () throws(ProtocolError) -> Data) throws(ProtocolError) {
        let (subscribers, capture) = state.shared.withLock { shared in
            if shared.subscribers != nil { shared.stats.forwarded += 1 }
            return (shared.subscribers, shared.capture)
        }
        guard let subscribers else { return }
        let outside = !filtered || state.outside.covers(topic)
        let leaves = outside || capture != nil
        // Bytes come back when someone wanted them: a subscriber here that reads bodies, or `leaves`.
        guard let body = try state.local.deliver(envelope, topic: topic, loop: loop, bytesWanted: leaves, encode: encode), leaves
        else { return }
        let frames = [Data(utf8Of: topic), body]
        if outside { loop.post(frames, on: subscribers) }
        if let capture { loop.post(frames, on: capture) }
    }

    /// Subscribes a consumer in the process to topics starting with any of `topics`: a stream of
    /// what is published from now on, in or outside the process, that ends when the bus stops.
    /// At most `buffered` messages wait for the consumer; newer ones are dropped and counted
    /// (under `MessageLoop.owner`). With `takesEnvelopes`, a message published in the process
    /// may come as its publisher's envelope with an empty body (`BusMessage.envelope`): only a
    /// consumer that reads envelopes that way (`AgentNode.decode`) should ask for it. Publishers
    /// outside the process learn of the subscription as of one of their own subscribers': the
    /// XSUB side passes it upstream.
    public func subscribe(_ topics: [String], buffered: Int = 65_536, takesEnvelopes: Bool = false) -> BusMessages {
        let prefixes = topics.map { Data(utf8Of: $0) }
        let messages = BusMessages(capacity: buffered)
        guard state.local.add(prefixes: prefixes, messages: messages, owner: MessageLoop.owner, takesEnvelopes: takesEnvelopes),
              let publishers = state.shared.withLock({ $0.publishers }) else { return messages }
        for prefix in prefixes { loop.post([Data([1]) + prefix], on: publishers) }
        state.shared.withLock { $0.stats.subscriptions += prefixes.count }
        return messages
    }

    /// Publishes `heartbeat(stats)` to subscribers every `interval`, from now until `stop()`, as
    /// the bus's own message.
    public func beat(every interval: Duration, _ heartbeat: @escaping @Sendable (BusProxy.Stats) -> Frames?) {
        guard let subscribers = state.shared.withLock({ $0.subscribers }) else { return }
        if let frames = heartbeat(stats) {
            state.local.deliver(frames, loop: loop)
            loop.post(frames, on: subscribers)
        }
        loop.schedule(at: .now.advanced(by: interval)) { [self] in beat(every: interval, heartbeat) }
    }

    /// Stops the heartbeats, ends the streams of the subscribers in the process and closes both
    /// sides.
    public func stop() {
        state.shared.withLock {
            $0.subscribers = nil
            $0.publishers = nil
            $0.capture = nil
        }
        state.local.close()
        for socket in sockets { loop.close(socket) }
    }
}
