import AgentRuntime
import ArgumentParser
import Configuration

/// `execution-agent`: turns approved trades into orders at the MarketMaker.
@main
struct ExecutionAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "execution-agent",
        abstract: "Answer execute requests by submitting the order to the MarketMaker and reporting what it did.")

    @OptionGroup var options: AgentOptions
    @OptionGroup var replicas: ReplicaOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.executionAgent.rawValue, process: .agent(.executionAgent))
        try await AgentHost.run(.executionAgent, replica: replicas.replica, topology: topology, logger: logger) { node in
            try await AgentWiring.executionAgent(on: node)
        }
    }
}
