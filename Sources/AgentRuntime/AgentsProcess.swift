import Configuration
import Foundation
import Logging
import ServiceLifecycle

/// Runs several agents in one process, on one message loop, joined by `ProcessLinks`: each keeps
/// its own name, request server (at its topology endpoint, for tools and peers outside the
/// process, and at its `inproc://` one), heartbeats, subscriptions and state, as it would in a
/// process of its own.
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

    /// Builds `members` in order, then runs all their services in one `ServiceGroup` until
    /// SIGTERM or SIGINT. The group stops them in the reverse order: list an agent after the
    /// peers it asks, so that it drains its work while they still answer.
    public static func run(_ members: [Member], topology: Topology, logger: Logger) async throws {
        defer { AgentLogging.flush() }
        let links = try ProcessLinks(topology: topology)
        AgentLogging.flushes(on: links.loop)
        var services: [any Service] = []
        for member in members {
            let node = try await AgentNode.start(name: member.agent.rawValue, topology: topology,
                                                 logger: Logger(label: member.agent.rawValue), links: links)
            services += try await AgentHost.assemble(member.agent, node: node, wire: member.wire)
        }
        logger.info("\(members.map(\.agent.rawValue).joined(separator: ", ")) run in this process (pid \(ProcessInfo.processInfo.processIdentifier)), requests between them in-process")
        try await AgentHost.serve(services, on: links.loop, name: logger.label, logger: logger)
    }
}
