import AgentRuntime
import Agents
import ArgumentParser
import Configuration
import WireFormat
import WireProtocol

/// `execution-agent`: turns approved trades into orders at the MarketMaker.
@main
struct ExecutionAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "execution-agent",
        abstract: "Answer execute requests by submitting the order to the MarketMaker and reporting what it did.")

    @OptionGroup var options: AgentOptions
    @OptionGroup var replicas: ReplicaOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.executionAgent.rawValue)
        try await AgentHost.run(.executionAgent, replica: replicas.replica, topology: topology, logger: logger) { node in
            let agent = ExecutionAgent(venue: try await node.client(for: .marketMaker), publisher: node, logger: logger)
            var wiring = AgentWiring()
            wiring.handlers.on(ExecuteRequest.self) { try await agent.execute($0) }
            return wiring
        }
    }
}
