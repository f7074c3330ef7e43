import Agents
import ArgumentParser
import Configuration
import Foundation
import Logging
import Messaging
import ServiceLifecycle
import WireFormat
import WireProtocol

/// Starts an agent process: node, handlers, request server, and every long-running piece as a
/// `Service` in one `ServiceGroup`.
///
/// The group runs, in this order, the flush of the hops held for the trace (`HopFlushing`), the
/// request server, the heartbeats and then the agent's own services (`AgentWiring.services`). On
/// SIGTERM or SIGINT it shuts them down in the reverse order: the agent's services first (the
/// last one first), so inputs stop before the work they feed is drained and state is flushed;
/// then heartbeats; then the server; then the last hops are published. A service that
/// throws shuts the group down the same way and the process exits non-zero. The message loop
/// closes every socket once the group has stopped.
public enum AgentHost {
    /// Builds the agent with `wire`, binds its endpoints (a port in use is reported and exits with
    /// status 2) and runs until a termination signal or a failed service.
    /// A replicated agent (`replicas` above 1 in its entry) runs as replica `replica` (1 when
    /// nil), named `agent#replica`, and connects to its broker's backend instead of binding.
    public static func run(_ agent: AgentName, replica: Int? = nil, topology: Topology, logger: Logger,
                           wire: (AgentNode) async throws -> AgentWiring) async throws {
        // Buffered routine log lines are written however the agent ends.
        defer { AgentLogging.flush() }
        let entry = try topology.endpoint(of: agent)
        let name = try ReplicaOptions.name(of: agent, replica: replica, entry: entry)
        let node = try await AgentNode.start(name: name, identity: agent.rawValue, topology: topology, logger: logger)
        // The loop keeps the log's 20 ms: no timer thread wakes for the lines of each message.
        AgentLogging.flushes(on: node.loop)
        let services = try await assemble(agent, node: node, wire: wire)
        try await serve(services, on: node.loop, name: node.name, logger: logger)
    }

    /// Builds `agent` on `node` with `wire` and binds its request server (a port in use is
    /// reported and exits with status 2): returns every service the agent runs, in the order a
    /// `ServiceGroup` starts them — the flush of its held hops, the request server, the
    /// heartbeats, then the agent's own.
    public static func assemble(_ agent: AgentName, node: AgentNode, wire: (AgentNode) async throws -> AgentWiring) async throws -> [any Service] {
        let topology = node.topology, logger = node.logger
        let entry = try topology.endpoint(of: agent)
        var wiring = try await wire(node)
        let pid = ProcessInfo.processInfo.processIdentifier
        wiring.handlers.on(PingRequest.self, immediately: { _ in
            HeartbeatPayload(agent: node.name, pid: pid, seq: 0, uptimeMs: node.uptimeUs / 1_000,
                             endpoint: entry.endpoint, handled: 0, errors: 0)
        })
        wiring.handlers.on(MetricsRequest.self, immediately: { _ in MetricsReport(agent: node.name, exposition: AgentMetrics.exposition()) })
        let handlers = wiring.handlers, yieldsAfterReplies = wiring.yieldsAfterReplies
        let authorize = node.credentials.map { _ in RequestAccess.authorizer(for: agent, rules: AccessRules(topology: topology)) }
        let server = try await bindOrExit(node, agent, entry.bindAddress, field: "endpoint") {
            if entry.isReplicated, let backend = entry.backend {
                // The broker holds the agent's keys: pinning them, a replica knows it talks to the broker.
                return try await RequestServer.connect(loop: node.loop, backend: backend, name: node.name, handlers: handlers,
                                                       observer: node.hopObserver, replyRetention: .milliseconds(topology.replyRetentionMs),
                                                       curve: try node.credentials?.client(of: agent.rawValue), authorize: authorize,
                                                       yieldingAfterReplies: yieldsAfterReplies)
            }
            return try await RequestServer.bind(loop: node.loop, endpoint: entry.bindAddress,
                                                alsoBinding: node.inProcess ? [ProcessLinks.endpoint(of: agent)] : [], name: node.name,
                                                handlers: handlers, observer: node.hopObserver,
                                                replyRetention: .milliseconds(topology.replyRetentionMs), curve: node.credentials?.server,
                                                authorize: authorize, yieldingAfterReplies: yieldsAfterReplies)
        }
        var services: [any Service] = [HopFlushing(node: node),
                                        RequestServing(server: server, logger: logger),
                                        Heartbeats(node: node, server: server, notes: wiring.notes),
                                        MemoryTrimming(release: { server.forgetExpiredReplies() })]
        if let endpoint = entry.metrics {
            let http = try await bindOrExit(node, agent, endpoint, field: "metrics") {
                try await MetricsHTTPEndpoint.bind(loop: node.loop, endpoint: endpoint)
            }
            logger.info("\(agent.rawValue) serves Prometheus metrics at http://\(http.address)/metrics")
            services.append(MetricsServing(endpoint: http))
        }
        if let push = node.spanPush {
            logger.info("\(agent.rawValue) pushes spans to \(push.endpoint) every \(topology.otlp?.intervalMs ?? 0) ms")
            services.append(push)
        }
        logger.info("\(node.name) serving \(server.endpoint) (\(handlers.types.joined(separator: ", ")))")
        return services + wiring.services
    }

    /// Runs `services` in one `ServiceGroup` until SIGTERM or SIGINT (or a failed service), on
    /// `loop`, which is shut down after them.
    ///
    /// The agents' tasks and actors run on the message loop's thread: a request is received,
    /// handled, forwarded and answered there without a thread switch. Blocking work (SQLite
    /// commits) has threads of its own.
    public static func serve(_ services: [any Service], on loop: MessageLoop, name: String, logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await withTaskExecutorPreference(loop) {
                try await group.run()
            }
        } catch {
            logger.critical("\(name) stopped after a failure: \(error)")
            await loop.shutdown()
            throw error
        }
        await loop.shutdown()
        logger.info("\(name) stopped")
    }

    /// Runs `bind`; a port in use is logged with what to do and ends the process with status 2.
    private static func bindOrExit<T>(_ node: AgentNode, _ agent: AgentName, _ address: String, field: String,
                                      _ bind: () async throws -> T) async throws -> T {
        do {
            return try await bind()
        } catch let error as ZMQError where error.code == .addressInUse {
            node.logger.critical("\(agent.rawValue) cannot listen on \(address): the port is already in use. Is another topology running (./topology/launch.sh status)? Stop it or change agents.\(agent.rawValue).\(field) in the topology.")
            await node.loop.shutdown()
            throw ExitCode(2)
        }
    }
}
