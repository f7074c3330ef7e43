import Configuration
import Foundation
import Logging
import Messaging
import ServiceLifecycle
import WireFormat
import WireProtocol

/// Serves the agent's req/rep endpoint until shutdown, the last piece to stop.
struct RequestServing: Service {
    let server: RequestServer
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown { await server.run() }
        logger.info("\(server.name) shutting down")
    }
}

/// Publishes the req/rep hops the node still holds (`AgentNode.hopObserver`) once the agent's
/// other services have stopped: the first service of its group, so the last one shut down, after
/// the request server has answered its last request.
struct HopFlushing: Service {
    let node: AgentNode

    func run() async {
        try? await gracefulShutdown()
        node.publishHeldHops()
    }
}

/// Publishes `heartbeat.<agent>` every `heartbeat_ms`, with the agent's counters and notes.
struct Heartbeats: Service {
    let node: AgentNode
    let server: RequestServer
    let notes: (@Sendable () async -> [String])?

    func run() async {
        await cancelWhenGracefulShutdown { await beat() }
    }

    private func beat() async {
        var seq = 0
        let pid = ProcessInfo.processInfo.processIdentifier
        while !Task.isCancelled {
            seq += 1
            let own = node.counters.withLock { $0 }
            let served = server.stats
            let loop = node.loop.stats
            // On a loop of its own the agent's problems are the loop's; on a loop it shares with
            // the other agents of its process, those of the sockets it opened.
            let problems = node.inProcess ? node.loop.problems(of: node.name) : loop.problems
            var notes = await notes?() ?? []
            if served.refused > 0 || loop.refusedHandshakes > 0 {
                notes.append("refused \(served.refused) unauthorized request(s), \(loop.refusedHandshakes) unlisted key(s)")
            }
            if let connections = problems.connections.note { notes.append(connections) }
            if loop.unannouncedMessages > 0 {
                notes.append("\(loop.unannouncedMessages) message(s) read only by the loop's rescan: their wake-up went missing, and each waited up to 100 ms; nothing was lost")
            }
            let beat = HeartbeatPayload(agent: node.name, pid: pid, seq: seq, uptimeMs: node.uptimeUs / 1_000,
                                        endpoint: server.endpoint, handled: own.handled + served.handled,
                                        errors: own.errors + served.errors + problems.malformedDrops + problems.inboundDrops + loop.refusedHandshakes
                                            + problems.connections.handshakeProtocolErrors,
                                        notes: notes.isEmpty ? nil : notes)
            node.publish(beat, type: EventType.heartbeat, topic: Topic.heartbeat(node.name), trace: .root())
            AgentMetrics.recordLoop(node.loop.stats)
            try? await Task.sleep(for: .milliseconds(node.topology.heartbeatMs))
        }
    }
}

/// Serves Prometheus metrics over HTTP until shutdown.
struct MetricsServing: Service {
    let endpoint: MetricsHTTPEndpoint

    func run() async {
        await cancelWhenGracefulShutdown { await endpoint.run() }
    }
}
