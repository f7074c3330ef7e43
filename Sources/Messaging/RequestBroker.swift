import Foundation
import Synchronization

/// Stands in front of several replicas of one stateless agent: clients connect to its ROUTER
/// `frontend` (the agent's logical endpoint) exactly as to a single agent, replicas connect to
/// its DEALER `backend` with `RequestServer.connect`. Runs on a thread of its own.
///
/// Requests go to the connected replicas in turn (the DEALER's round robin, skipping a replica
/// whose queue is full); replies come back on the routing frames the replica echoes. A replica
/// that dies takes the requests it held with it: their clients time out and retry with the same
/// id, and the retry goes to a live replica. With no replica connected a request is dropped and
/// counted (its client retries too); nothing a client sends can stop the broker.
///
/// Each request reaches its replica with the caller's authenticated identity in front of it (see
/// `CallerFrame`), so a replica authorizes requests as the agent would. With `security` both
/// sides speak CURVE (see `BrokerSecurity`) through a ZAP handler of the broker's own.
public final class RequestBroker: Sendable {
    /// Traffic through the broker.
    public struct Stats: Sendable, Hashable {
        /// Requests passed to a replica.
        public var requests = 0
        /// Replies passed back to a client.
        public var replies = 0
        /// Requests dropped because no replica could take them.
        public var unrouted = 0
        /// CURVE handshakes refused because the key is not listed for that side of the broker.
        public var refusedHandshakes = 0
        /// What the frontend's monitor reported, among them the connections libzmq closed for a
        /// message over `ZMQ_MAXMSGSIZE`.
        public var connections = ConnectionEvents()
    }

    /// Where clients connect.
    public let frontend: String
    /// Where replicas connect.
    public let backend: String
    let security: BrokerSecurity?
    let wake: WakeSignal
    let stopRequested = Mutex(false)
    let counters = Mutex(Stats())

    /// Prepares a broker; `run()` binds both sides, with CURVE on both when `security` is given.
    public init(frontend: String, backend: String, security: BrokerSecurity? = nil) throws(ZMQError) {
        self.frontend = frontend
        self.backend = backend
        self.security = security
        self.wake = try WakeSignal()
    }

    /// Counters so far.
    public var stats: Stats { counters.withLock { $0 } }

    /// Binds and forwards until `stop()`. Throws at once when an endpoint cannot be bound.
    public func run() async throws {
        try await ForwardingThread.run(named: "zmq-broker") { [self] onBound in forward(onBound: onBound) }
    }

    /// Asks the forwarding thread to close its sockets and end.
    public func stop() {
        stopRequested.withLock { $0 = true }
        wake.raise()
    }

    private func forward(onBound: (ZMQError?) -> Void) {
        let context: ZMQContext, clients: ZMQSocket, replicas: ZMQSocket, monitor: SocketMonitor
        do {
            context = try ZMQContext()
            if let security {
                try ZAPHandler.start(context: context, policy: security.zap, name: "broker") { [self] in
                    self.counters.withLock { $0.refusedHandshakes += 1 }
                }
            }
            clients = try context.socket(.router)
            replicas = try context.socket(.dealer)
            var options = SocketOptions()
            options.maxMessageSize = SocketOptions.defaultMaxMessageSize
            options.sendHighWaterMark = 10_000
            options.receiveHighWaterMark = 10_000
            var clientOptions = options, replicaOptions = options
            if let security {
                clientOptions.curve = .server(security.keys, zapDomain: security.frontendDomain)
                replicaOptions.curve = .server(security.keys, zapDomain: security.backendDomain)
            }
            try clientOptions.apply(to: clients)
            try replicaOptions.apply(to: replicas)
            monitor = try SocketMonitor(watching: clients, context: context, address: "hedgebus.monitor.broker")
            try clients.bind(frontend)
            try replicas.bind(backend)
        } catch {
            onBound(error)
            wake.close()
            return
        }
        let poller: SocketPoller
        do {
            poller = try SocketPoller(wake: wake)
            try poller.add(clients, id: Side.clients)
            try poller.add(replicas, id: Side.replicas)
            try poller.add(monitor.socket, id: Side.monitor)
        } catch {
            onBound(error)
            monitor.close()
            clients.close()
            replicas.close()
            context.terminate()
            wake.close()
            return
        }
        onBound(nil)
        var rescans = RescanSchedule()
        while !stopRequested.withLock({ $0 }) {
            if rescans.isDue(now: LoopClock.now()) {
                for side in [Side.clients, Side.replicas] { poller.markReady(side) }
            }
            guard (try? poller.wait(timeoutMillis: poller.hasReady ? 0 : RescanSchedule.intervalMillis)) != nil else { break }
            // Each side is read until it would block; a send on a side may have taken the command
            // that announced its next message, so that side is read again too.
            var rounds = 0
            while poller.hasReady && rounds < 16 {
                for side in poller.takeReady() {
                    switch side {
                    case Side.clients:
                        let (exhausted, sent) = passRequests(from: clients, to: replicas)
                        if !exhausted { poller.markReady(side) }
                        if sent { poller.markReady(Side.replicas) }
                    case Side.replicas:
                        let (exhausted, sent) = passReplies(from: replicas, to: clients)
                        if !exhausted { poller.markReady(side) }
                        if sent { poller.markReady(Side.clients) }
                    default:
                        var events = ConnectionEvents()
                        monitor.drain(into: &events)
                        counters.withLock { $0.connections = $0.connections + events }
                    }
                }
                rounds += 1
            }
        }
        monitor.close()
        clients.close()
        replicas.close()
        context.terminate()
        wake.close()
    }

    /// The broker's sockets as its poller names them.
    private enum Side {
        static let clients = 0, replicas = 1, monitor = 2
    }

    /// Moves up to a batch of waiting requests to the replicas, each behind its caller's
    /// identity; one no replica can take now is dropped and counted as unrouted. Returns whether
    /// the clients' side was read until it would block, and whether anything was sent (or tried).
    private func passRequests(from clients: ZMQSocket, to replicas: ZMQSocket) -> (exhausted: Bool, sent: Bool) {
        var passed = 0, dropped = 0, exhausted = false
        while passed + dropped < 1_024 {
            guard let message = try? clients.receive(wait: false, readingUserId: security != nil) else { exhausted = true; break }
            do {
                try replicas.send(CallerFrame.wrap(message))
                passed += 1
            } catch {
                dropped += 1
            }
        }
        counters.withLock { $0.requests += passed; $0.unrouted += dropped }
        return (exhausted, passed + dropped > 0)
    }

    /// Moves up to a batch of waiting replies to their clients; one whose client is gone is
    /// dropped. Returns whether the replicas' side was read until it would block, and whether
    /// anything was sent (or tried).
    private func passReplies(from replicas: ZMQSocket, to clients: ZMQSocket) -> (exhausted: Bool, sent: Bool) {
        var passed = 0, seen = 0, exhausted = false
        while seen < 1_024 {
            guard let frames = try? replicas.receive(wait: false) else { exhausted = true; break }
            seen += 1
            if (try? clients.send(frames)) != nil { passed += 1 }
        }
        counters.withLock { $0.replies += passed }
        return (exhausted, seen > 0)
    }
}
