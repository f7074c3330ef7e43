import ArgumentParser
import Configuration
import Foundation
import Logging
import Messaging
import ServiceLifecycle

/// Runs the bus and several agents in one process, on one message loop, joined by
/// `ProcessLinks`: each agent keeps its own name, request server (at its topology endpoint, for
/// tools and peers outside the process, and at its `inproc://` one), heartbeats, subscriptions
/// and state, as it would in a process of its own; the bus (`LoopBus`) serves the topology's bus
/// endpoints to publishers and subscribers outside the process, and the agents' own publications
/// and subscriptions on the loop, with no socket.
public enum AgentsProcess {
    /// One agent to run and how to build it on its node.
    public struct Member: Sendable {
        let agent: AgentName
        let wire: @Sendable (AgentNode) async throws -> AgentWiring

        /// `agent`, built by `wire`.
        public init(_ agent: AgentName, wire: @escaping @Sendable (AgentNode) async throws -> AgentWiring) {
            self.agent = agent
            self.wire = wire
        }
    }

    /// Opens the bus, builds `members` in order, then runs all their services in one
    /// `ServiceGroup` until SIGTERM or SIGINT. The group stops them in the reverse order (the
    /// bus last): list an agent after the peers it asks, so that it drains its work while they
    /// still answer. A bus port in use is reported and exits with status 2.
    public static func run(_ members: [Member], topology: Topology, logger: Logger) async throws {
        defer { AgentLogging.flush() }
        let links = try ProcessLinks(topology: topology)
        AgentLogging.flushes(on: links.loop)
        let endpoints = BusProxy.Endpoints(publish: topology.bus.publishBindAddress, subscribe: topology.bus.subscribeBindAddress,
                                           capture: topology.bus.captureBindAddress)
        let bus: LoopBus
        do {
            bus = try await MessageLoop.$owner.withValue(busName) {
                try await LoopBus.open(loop: links.loop, endpoints: endpoints)
            }
        } catch let error as ZMQError where error.code == .addressInUse {
            logger.critical("the bus cannot bind: \(error). Is another topology running (./topology/launch.sh status)? Stop it or change bus.publish/bus.subscribe (or their _bind addresses) in the topology.")
            await links.loop.shutdown()
            throw ExitCode(2)
        }
        logger.info("bus: publishers → \(endpoints.publish), subscribers ← \(endpoints.subscribe)\(endpoints.capture.map { ", capture ← \($0)" } ?? "") (in this process)")
        var services: [any Service] = [LoopBusService(bus: bus, loop: links.loop, heartbeatInterval: .milliseconds(topology.heartbeatMs), logger: logger)]
        for member in members {
            // Each agent's sockets are counted under its name, so its heartbeats report its own problems.
            services += try await MessageLoop.$owner.withValue(member.agent.rawValue) {
                let node = AgentNode.start(name: member.agent.rawValue, topology: topology,
                                           logger: Logger(label: member.agent.rawValue), links: links, bus: bus)
                return try await AgentHost.assemble(member.agent, node: node, wire: member.wire)
            }
        }
        logger.info("\(([busName] + members.map(\.agent.rawValue)).joined(separator: ", ")) run in this process (pid \(ProcessInfo.processInfo.processIdentifier)), requests between them in-process")
        try await AgentHost.serve(services, on: links.loop, name: logger.label, logger: logger)
    }
}

/// Runs the process's bus: its heartbeats until graceful shutdown, then closes it. First in the
/// group, so it stops last, after every agent has published its last message.
struct LoopBusService: Service {
    let bus: LoopBus
    /// The process's loop, whose monitors count the bus's connection events under `busName`.
    let loop: MessageLoop
    let heartbeatInterval: Duration
    let logger: Logger

    func run() async {
        let heartbeat = BusHeartbeat()
        bus.beat(every: heartbeatInterval) { [loop] stats in
            var stats = stats
            stats.connections = loop.problems(of: busName).connections
            return heartbeat.frames(stats)
        }
        try? await gracefulShutdown()
        bus.stop()
        let stats = bus.stats
        logger.info("bus stopped after forwarding \(stats.forwarded) messages and \(stats.subscriptions) subscription changes")
    }
}
