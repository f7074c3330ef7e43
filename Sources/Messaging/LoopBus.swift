import Foundation
import Synchronization

/// The bus's forwarding run on a `MessageLoop`, for a process whose agents share that loop
/// (`all-agents`): publications XSUB → XPUB (and to the capture PUB, when configured),
/// subscriptions XPUB → XSUB, as `BusProxy` forwards them, but read and sent on the loop thread.
/// Each side also binds an `inproc://` endpoint for the agents of the process, so a message from
/// one of them to another never leaves that thread; outside publishers and subscribers connect to
/// the topology's TCP endpoints as to a bus of its own. Without CURVE (`BusProxy` serves secured
/// topologies, on a thread of its own).
public final class LoopBus: Sendable {
    /// Where agents on the loop publish and subscribe.
    public struct InProcess: Sendable, Hashable {
        /// The XSUB side's `inproc://` endpoint.
        public var publish: String
        /// The XPUB side's `inproc://` endpoint.
        public var subscribe: String

        /// Creates the pair.
        public init(publish: String, subscribe: String) {
            self.publish = publish
            self.subscribe = subscribe
        }
    }

    /// What the loop thread's handlers share with the bus's owner, under one lock: where
    /// publications go once the XPUB side is open (nil before: nobody can have subscribed yet;
    /// nil again once stopped), and the counters.
    private final class State: Sendable {
        struct Shared {
            var subscribers: SocketHandle?
            var capture: SocketHandle?
            var stats = BusProxy.Stats()
        }

        let shared = Mutex(Shared())
    }

    let loop: MessageLoop
    let sockets: [SocketHandle]
    private let state: State

    /// Binds both sides at `endpoints` and `inProcess` (and the capture tap) on `loop`; a port in
    /// use throws `ZMQError` with code `.addressInUse`.
    public static func open(loop: MessageLoop, endpoints: BusProxy.Endpoints, inProcess: InProcess) async throws -> LoopBus {
        let options = BusProxy.sideOptions
        let state = State()
        var opened: [SocketHandle] = []
        do {
            var publishSpec = SocketSpec(kind: .xsub, binds: [endpoints.publish, inProcess.publish], options: options)
            publishSpec.monitorsConnections = true
            let publishers = try await loop.open(publishSpec) { frames in
                let (subscribers, capture) = state.shared.withLock { shared in
                    if shared.subscribers != nil { shared.stats.forwarded += 1 }
                    return (shared.subscribers, shared.capture)
                }
                guard let subscribers else { return }
                loop.post(frames, on: subscribers)
                if let capture { loop.post(frames, on: capture) }
            }
            opened.append(publishers)
            var subscribeSpec = SocketSpec(kind: .xpub, binds: [endpoints.subscribe, inProcess.subscribe], options: options)
            subscribeSpec.monitorsConnections = true
            let subscribers = try await loop.open(subscribeSpec) { frames in
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

    /// Counters so far (forwarded publications and subscription changes).
    public var stats: BusProxy.Stats { state.shared.withLock { $0.stats } }

    /// Publishes `heartbeat(stats)` to subscribers every `interval`, from now until `stop()`, as
    /// the bus's own message.
    public func beat(every interval: Duration, _ heartbeat: @escaping @Sendable (BusProxy.Stats) -> Frames?) {
        guard let subscribers = state.shared.withLock({ $0.subscribers }) else { return }
        if let frames = heartbeat(stats) { loop.post(frames, on: subscribers) }
        loop.schedule(at: .now.advanced(by: interval)) { [self] in beat(every: interval, heartbeat) }
    }

    /// Stops the heartbeats and closes both sides.
    public func stop() {
        state.shared.withLock {
            $0.subscribers = nil
            $0.capture = nil
        }
        for socket in sockets { loop.close(socket) }
    }
}
