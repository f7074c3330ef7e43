import CZeroMQ
import Foundation
import Synchronization

/// The pub/sub hub: publishers connect to its XSUB side, subscribers to its XPUB side. Messages
/// flow XSUB → XPUB (and to the capture PUB, when configured); subscriptions flow XPUB → XSUB so
/// publishers filter at the source. Runs on a thread of its own.
public final class BusProxy: Sendable {
    /// Where the proxy binds.
    public struct Endpoints: Sendable, Hashable {
        /// XSUB: publishers connect here.
        public var publish: String
        /// XPUB: subscribers connect here.
        public var subscribe: String
        /// PUB that receives a copy of every message, if set.
        public var capture: String?

        /// Creates endpoints.
        public init(publish: String, subscribe: String, capture: String?) {
            self.publish = publish
            self.subscribe = subscribe
            self.capture = capture
        }
    }

    /// Traffic through the proxy.
    public struct Stats: Sendable, Hashable {
        /// Messages forwarded from publishers to subscribers.
        public var forwarded = 0
        /// Subscribe/unsubscribe messages forwarded upstream.
        public var subscriptions = 0
        /// Publications dropped because their publisher may not publish that topic.
        public var refusedPublications = 0
        /// Subscriptions refused because their subscriber may not read what they would deliver.
        public var refusedSubscriptions = 0
        /// CURVE handshakes refused because the key is not listed for that side of the bus.
        public var refusedHandshakes = 0
        /// What the monitors of the publish and subscribe sides reported, among them the
        /// connections libzmq closed for a message over `ZMQ_MAXMSGSIZE`.
        public var connections = ConnectionEvents()
    }

    let endpoints: Endpoints
    let heartbeatInterval: Duration
    let heartbeat: @Sendable (Stats) -> Frames?
    let security: BusSecurity?
    let refusals = RefusalLog(label: "hedgebus.bus")
    let wake: WakeSignal
    let stopRequested = Mutex(false)
    let counters = Mutex(Stats())

    /// Prepares a proxy; `heartbeat` is called every `heartbeatInterval` and its frames (if any)
    /// are published to subscribers as the bus's own message. With `security` every side speaks
    /// CURVE, only listed keys connect, and each publication and subscription is checked against
    /// its sender's identity.
    public init(endpoints: Endpoints, heartbeatInterval: Duration, security: BusSecurity? = nil,
                heartbeat: @escaping @Sendable (Stats) -> Frames?) throws(ZMQError) {
        self.endpoints = endpoints
        self.security = security
        self.heartbeatInterval = heartbeatInterval
        self.heartbeat = heartbeat
        self.wake = try WakeSignal()
    }

    /// Counters so far.
    public var stats: Stats { counters.withLock { $0 } }

    /// The options of each side of a bus: deep queues, so bursts wait rather than vanish, and
    /// the message size limit (a publisher's oversized message drops its connection, which
    /// reconnects, unforwarded).
    static var sideOptions: SocketOptions {
        var options = SocketOptions()
        options.sendHighWaterMark = 100_000
        options.receiveHighWaterMark = 100_000
        options.maxMessageSize = SocketOptions.defaultMaxMessageSize
        return options
    }

    /// Binds and forwards until `stop()`. Throws at once when an endpoint cannot be bound.
    public func run() async throws {
        try await ForwardingThread.run(named: "zmq-bus") { [self] onBound in forward(onBound: onBound) }
    }

    /// Asks the forwarding thread to close its sockets and end.
    public func stop() {
        stopRequested.withLock { $0 = true }
        wake.raise()
    }

    private func forward(onBound: (ZMQError?) -> Void) {
        let context: ZMQContext, frontend: ZMQSocket, backend: ZMQSocket, capture: ZMQSocket?, monitors: [SocketMonitor]
        do {
            context = try ZMQContext()
            if let security {
                try ZAPHandler.start(context: context, policy: security.zap, name: "bus") { [self] in
                    self.counters.withLock { $0.refusedHandshakes += 1 }
                }
            }
            frontend = try context.socket(.xsub)
            backend = try context.socket(.xpub)
            capture = endpoints.capture == nil ? nil : try context.socket(.pub)
            let options = Self.sideOptions
            let sides: [(ZMQSocket, String)] = [(frontend, BusSecurity.publishDomain), (backend, BusSecurity.subscribeDomain)]
                + (capture.map { [($0, BusSecurity.captureDomain)] } ?? [])
            for (socket, domain) in sides {
                var sideOptions = options
                if let security {
                    sideOptions.curve = .server(security.keys, zapDomain: domain)
                    // Subscriptions take effect only once `relaySubscriptions` grants them.
                    if socket === backend { sideOptions.xpubManual = true }
                }
                try sideOptions.apply(to: socket)
            }
            try frontend.bind(endpoints.publish)
            try backend.bind(endpoints.subscribe)
            if let capture, let endpoint = endpoints.capture { try capture.bind(endpoint) }
            monitors = [try SocketMonitor(watching: frontend, context: context, address: "hedgebus.monitor.bus.publish"),
                        try SocketMonitor(watching: backend, context: context, address: "hedgebus.monitor.bus.subscribe")]
        } catch {
            onBound(error)
            wake.close()
            return
        }
        let poller: SocketPoller
        do {
            poller = try SocketPoller(wake: wake)
            try poller.add(frontend, id: Side.publishers)
            try poller.add(backend, id: Side.subscribers)
            if let capture { try poller.add(capture, id: Side.capture) }
            for (offset, monitor) in monitors.enumerated() { try poller.add(monitor.socket, id: Side.monitors + offset) }
        } catch {
            onBound(error)
            for monitor in monitors { monitor.close() }
            frontend.close()
            backend.close()
            capture?.close()
            context.terminate()
            wake.close()
            return
        }
        onBound(nil)
        let beatInterval = LoopClock.nanoseconds(of: heartbeatInterval)
        var nextBeat = LoopClock.now()
        var granted = GrantedSubscriptions()
        var rescans = RescanSchedule()
        while !stopRequested.withLock({ $0 }) {
            var now = LoopClock.now()
            if rescans.isDue(now: now) {
                for side in [Side.publishers, Side.subscribers] { poller.markReady(side) }
            }
            if now >= nextBeat {
                if let frames = heartbeat(stats) {
                    try? backend.send(frames)
                    poller.markReady(Side.subscribers)
                }
                now = LoopClock.now()
                nextBeat = now.addingClamped(beatInterval)
            }
            let untilBeat = Int(min(max(0, nextBeat - now), Int64(RescanSchedule.intervalMillis) * 1_000_000) / 1_000_000)
            let wait = poller.hasReady ? 0 : min(untilBeat, RescanSchedule.intervalMillis)
            guard (try? poller.wait(timeoutMillis: wait)) != nil else { break }
            // Each side is read until it would block; what a side sent may have taken the command
            // that announced the other side's next message, so that side is read again too.
            var rounds = 0
            while poller.hasReady && rounds < 16 {
                for side in poller.takeReady() {
                    switch side {
                    case Side.publishers:
                        let (exhausted, sent) = relay(from: frontend, to: backend, copyTo: capture)
                        if !exhausted { poller.markReady(side) }
                        if sent { poller.markReady(Side.subscribers) }
                    case Side.subscribers:
                        let (exhausted, sent) = relaySubscriptions(from: backend, to: frontend, granted: &granted)
                        if !exhausted { poller.markReady(side) }
                        if sent { poller.markReady(Side.publishers) }
                    case Side.capture:
                        capture?.processCommands()
                    default:
                        // A monitor's reader: read until it would block.
                        countConnectionEvents(monitors)
                    }
                }
                rounds += 1
            }
        }
        for monitor in monitors { monitor.close() }
        frontend.close()
        backend.close()
        capture?.close()
        context.terminate()
        wake.close()
    }

    /// The proxy's sockets as its poller names them (the monitors' readers from `monitors` on).
    private enum Side {
        static let publishers = 0, subscribers = 1, capture = 2, monitors = 3
    }

    private func countConnectionEvents(_ monitors: [SocketMonitor]) {
        var events = ConnectionEvents()
        for monitor in monitors { monitor.drain(into: &events) }
        counters.withLock { $0.connections = $0.connections + events }
    }

    /// Forwards up to a batch of publications; whether the publishers' side was read until it would
    /// block, and whether anything was sent on.
    private func relay(from frontend: ZMQSocket, to backend: ZMQSocket, copyTo capture: ZMQSocket?) -> (exhausted: Bool, sent: Bool) {
        var count = 0, refused = 0, exhausted = false
        guard let security else {
            // Nothing to admit: each message passes on as libzmq holds it, never read here.
            while count < 1_024 {
                guard (try? frontend.forward(to: backend, copyTo: capture)) == true else { exhausted = true; break }
                count += 1
            }
            counters.withLock { $0.forwarded += count }
            return (exhausted, count > 0)
        }
        while count + refused < 1_024 {
            guard let message = try? frontend.receive(wait: false, readingUserId: true) else { exhausted = true; break }
            if !security.admitsPublication(message) {
                refused += 1
                refusePublication(message)
                continue
            }
            try? backend.send(message.frames)
            try? capture?.send(message.frames)
            count += 1
        }
        counters.withLock { $0.forwarded += count; $0.refusedPublications += refused }
        return (exhausted, count > 0)
    }

    /// Forwards up to a batch of subscription changes; whether the subscribers' side was read until
    /// it would block, and whether anything was sent on.
    private func relaySubscriptions(from backend: ZMQSocket, to frontend: ZMQSocket,
                                    granted: inout GrantedSubscriptions) -> (exhausted: Bool, sent: Bool) {
        var count = 0, refused = 0, exhausted = false
        while count + refused < 1_024 {
            guard let message = try? backend.receive(wait: false, readingUserId: security != nil) else { exhausted = true; break }
            if let security {
                // Manual mode: a subscription reaches the subscriber's filter only when applied here,
                // right after it was read (libzmq applies it to the pipe it came from).
                guard let change = SubscriptionChange(message.frames), security.admitsSubscription(change, from: message.userId) else {
                    refused += 1
                    refuseSubscription(message)
                    continue
                }
                try? backend.setOption(change.subscribe ? ZMQ_SUBSCRIBE : ZMQ_UNSUBSCRIBE, bytes: change.prefix)
                // In manual mode every subscriber's change comes up; publishers hear only the
                // first subscription to a prefix and the end of the last, as behind a plain XPUB.
                guard granted.record(change, departed: message.userId == nil) else { continue }
            }
            try? frontend.send(message.frames)
            count += 1
        }
        counters.withLock { $0.subscriptions += count; $0.refusedSubscriptions += refused }
        return (exhausted, count > 0)
    }
}
