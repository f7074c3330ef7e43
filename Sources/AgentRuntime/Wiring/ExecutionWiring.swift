import Agents
import Configuration
import WireProtocol

extension AgentWiring {
    /// The ExecutionAgent on `node`: answers `execute` by submitting the order to the MarketMaker.
    public static func executionAgent(on node: AgentNode) async throws -> AgentWiring {
        let agent = ExecutionAgent(venue: try await node.client(for: .marketMaker), publisher: node, logger: node.logger)
        var wiring = AgentWiring()
        wiring.handlers.on(ExecuteRequest.self, carrying: { try await agent.execute($0) })
        // The order event and the log line follow the reply on the loop (`afterPendingSends`).
        wiring.yieldsAfterReplies = true
        return wiring
    }
}
