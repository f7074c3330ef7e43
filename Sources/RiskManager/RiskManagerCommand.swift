import AgentRuntime
import ArgumentParser
import Configuration

/// `risk-manager`: approves and sizes trades against the account as the MarketMaker reports it.
@main
struct RiskManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk-manager",
        abstract: "Answer assess requests: size a trade to its stop, place take-profit targets, and check exposure, positions, heat and margin against the account at the MarketMaker.")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.riskManager.rawValue, process: .agent(.riskManager))
        try await AgentHost.run(.riskManager, topology: topology, logger: logger) { node in
            try await AgentWiring.riskManager(on: node)
        }
    }
}
