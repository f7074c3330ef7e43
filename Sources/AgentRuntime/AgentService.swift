import ArgumentParser
import Configuration
import Foundation
import Logging
import Messaging
import ServiceLifecycle
import WireProtocol

/// Runs an agent under swift-service-lifecycle: its request server, heartbeats and tasks, until
/// SIGTERM or SIGINT; then stops the tasks, runs the shutdown hook and closes every socket.
public struct AgentService: Service {
    let node: AgentNode
    let server: RequestServer
    let wiring: AgentWiring

    public func run() async throws {
        node.logger.info("\(node.name) serving \(server.endpoint) (\(wiring.handlers.types.joined(separator: ", ")))")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await server.run() }
            group.addTask { await beat() }
            for task in wiring.tasks { group.addTask { await task() } }
            try? await gracefulShutdown()
            node.logger.info("\(node.name) shutting down")
            group.cancelAll()
            await wiring.onShutdown?()
            await node.loop.shutdown()
        }
        node.logger.info("\(node.name) stopped")
    }

    private func beat() async {
        var seq = 0
        let pid = ProcessInfo.processInfo.processIdentifier
        while !Task.isCancelled {
            seq += 1
            let own = node.counters.withLock { $0 }
            let served = server.stats
            let notes = await wiring.notes?() ?? []
            let beat = HeartbeatPayload(agent: node.name, pid: pid, seq: seq, uptimeMs: node.uptimeUs / 1_000,
                                        endpoint: server.endpoint, handled: own.handled + served.handled, errors: own.errors + served.errors,
                                        notes: notes.isEmpty ? nil : notes)
            node.publish(beat, type: EventType.heartbeat, topic: Topic.heartbeat(node.name), trace: .root())
            AgentMetrics.recordLoop(node.loop.stats)
            try? await Task.sleep(for: .milliseconds(node.topology.heartbeatMs))
        }
    }
}

/// Starts an agent process: node, handlers, server, lifecycle.
public enum AgentHost {
    /// Builds the agent with `wire`, binds its endpoints (a port in use is reported and exits with
    /// status 2) and runs until a termination signal.
    public static func run(_ agent: AgentName, topology: Topology, logger: Logger,
                           wire: (AgentNode) async throws -> AgentWiring) async throws {
        // Buffered routine log lines are written however the agent ends.
        defer { AgentLogging.flush() }
        let node = try await AgentNode.start(name: agent.rawValue, topology: topology, logger: logger)
        var wiring = try await wire(node)
        let pid = ProcessInfo.processInfo.processIdentifier
        let entry = try topology.endpoint(of: agent)
        wiring.handlers.on(PingRequest.self) { _ in
            HeartbeatPayload(agent: node.name, pid: pid, seq: 0, uptimeMs: node.uptimeUs / 1_000,
                             endpoint: entry.endpoint, handled: 0, errors: 0)
        }
        wiring.handlers.on(MetricsRequest.self) { _ in MetricsReport(agent: node.name, exposition: AgentMetrics.exposition()) }
        let handlers = wiring.handlers
        let server = try await bindOrExit(node, agent, entry.bindAddress, field: "endpoint") {
            try await RequestServer.bind(loop: node.loop, endpoint: entry.bindAddress, name: node.name,
                                         handlers: handlers, observer: node.hopObserver)
        }
        if let endpoint = entry.metrics {
            let http = try await bindOrExit(node, agent, endpoint, field: "metrics") {
                try await MetricsHTTPEndpoint.bind(loop: node.loop, endpoint: endpoint)
            }
            logger.info("\(agent.rawValue) serves Prometheus metrics at http://\(http.address)/metrics")
            wiring.tasks.append { await http.run() }
        }
        let service = AgentService(node: node, server: server, wiring: wiring)
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        // The agent's tasks and actors run on its message loop's thread: a request is received,
        // handled, forwarded and answered there without a thread switch. Blocking work (SQLite
        // commits) has threads of its own.
        try await withTaskExecutorPreference(node.loop) {
            try await group.run()
        }
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
