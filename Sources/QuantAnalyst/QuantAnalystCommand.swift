import AgentRuntime
import ArgumentParser
import Configuration

/// `quant-analyst`: indicators over the recent market, on request.
@main
struct QuantAnalystCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quant-analyst",
        abstract: "Answer analyze requests from a rolling window of market ticks: EMA crossover, RSI, ATR, volatility, momentum z-score, support/resistance.")

    @OptionGroup var options: AgentOptions
    @OptionGroup var replicas: ReplicaOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.quantAnalyst.rawValue, process: .agent(.quantAnalyst))
        try await AgentHost.run(.quantAnalyst, replica: replicas.replica, topology: topology, logger: logger) { node in
            try await AgentWiring.quantAnalyst(on: node)
        }
    }
}
