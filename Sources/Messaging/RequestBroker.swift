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
public final class RequestBroker: Sendable {
    /// Traffic through the broker.
    public struct Stats: Sendable, Hashable {
        /// Requests passed to a replica.
        public var requests = 0
        /// Replies passed back to a client.
        public var replies = 0
        /// Requests dropped because no replica could take them.
        public var unrouted = 0
    }

    /// Where clients connect.
    public let frontend: String
    /// Where replicas connect.
    public let backend: String
    let wake: WakeSignal
    let stopRequested = Mutex(false)
    let counters = Mutex(Stats())

    /// Prepares a broker; `run()` binds both sides.
    public init(frontend: String, backend: String) throws(ZMQError) {
        self.frontend = frontend
        self.backend = backend
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
        let context: ZMQContext, clients: ZMQSocket, replicas: ZMQSocket
        do {
            context = try ZMQContext()
            clients = try context.socket(.router)
            replicas = try context.socket(.dealer)
            var options = SocketOptions()
            options.maxMessageSize = SocketOptions.defaultMaxMessageSize
            options.sendHighWaterMark = 10_000
            options.receiveHighWaterMark = 10_000
            try options.apply(to: clients)
            try options.apply(to: replicas)
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
            try poller.add(clients, id: 0)
            try poller.add(replicas, id: 1)
        } catch {
            onBound(error)
            clients.close()
            replicas.close()
            context.terminate()
            wake.close()
            return
        }
        onBound(nil)
        while !stopRequested.withLock({ $0 }) {
            guard (try? poller.wait(timeoutMillis: poller.hasReady ? 0 : -1)) != nil else { break }
            // Each side is read until it would block; a send on a side may have taken the command
            // that announced its next message, so that side is read again too.
            var rounds = 0
            while poller.hasReady && rounds < 16 {
                for side in poller.takeReady() {
                    let (exhausted, sent) = side == 0
                        ? pass(from: clients, to: replicas, counting: \.requests, failures: \.unrouted)
                        : pass(from: replicas, to: clients, counting: \.replies, failures: nil)
                    if !exhausted { poller.markReady(side) }
                    if sent { poller.markReady(1 - side) }
                }
                rounds += 1
            }
        }
        clients.close()
        replicas.close()
        context.terminate()
        wake.close()
    }

    /// Moves up to a batch of waiting messages across; a message the far side cannot take now
    /// (no replica, or a client gone) is dropped, counted under `failures` when given. Returns
    /// whether `source` was read until it would block, and whether anything was sent.
    private func pass(from source: ZMQSocket, to target: ZMQSocket, counting: WritableKeyPath<Stats, Int>,
                      failures: WritableKeyPath<Stats, Int>?) -> (exhausted: Bool, sent: Bool) {
        var passed = 0, dropped = 0, exhausted = false
        while passed + dropped < 1_024 {
            guard let frames = try? source.receive(wait: false) else { exhausted = true; break }
            do {
                try target.send(frames)
                passed += 1
            } catch {
                dropped += 1
            }
        }
        counters.withLock { stats in
            stats[keyPath: counting] += passed
            if let failures { stats[keyPath: failures] += dropped }
        }
        return (exhausted, passed > 0)
    }
}
