import AgentRuntime
import ArgumentParser
import Configuration

/// `all-agents`: the bus and the five agents in one process, their messages to each other passed
/// in-process.
@main
struct AllAgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all-agents",
        abstract: "Run the bus, MarketMaker, ExecutionAgent, RiskManager, QuantAnalyst and TradingDirector in one process, for one host: the bus serves its topology endpoints and each agent answers at its own, as when each runs on its own, while on one thread their requests to each other are handed over as values and their publications pass through the bus with no socket between them. Not for CURVE topologies, replicated agents or agents run by a command of their own.")

    @OptionGroup var options: AgentOptions

    @OptionGroup var ledger: LedgerOptions

    @OptionGroup var storeOptions: DirectorStoreOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: "all-agents", process: .allAgents)
        if let problem = ProcessLinks.unsuitability(of: topology) { throw ValidationError("cannot run as one process: \(problem)") }
        let venueState = try await AgentWiring.openVenue(topology: topology, ledger: ledger.path, logger: logger)
        let stores = try DirectorStores(storeOptions, settings: topology.director)
        // The director last: at shutdown it stops first and finishes its accepted signals while
        // the agents it asks still answer.
        try await AgentsProcess.run([
            .init(.marketMaker) { try await AgentWiring.marketMaker(on: $0, venueState: venueState) },
            .init(.executionAgent) { try await AgentWiring.executionAgent(on: $0) },
            .init(.riskManager) { try await AgentWiring.riskManager(on: $0) },
            .init(.quantAnalyst) { try await AgentWiring.quantAnalyst(on: $0) },
            .init(.tradingDirector) { try await AgentWiring.tradingDirector(on: $0, stores: stores) },
        ], topology: topology, logger: logger)
    }
}
