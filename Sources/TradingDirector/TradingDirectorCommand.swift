import AgentRuntime
import ArgumentParser
import Configuration

/// `trading-director`: turns each signal on the bus into one decision.
@main
struct TradingDirectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trading-director",
        abstract: "Run a cycle per signal (analyze → assess → execute) and publish one decision per signal on its trace; watch the positions it opens for stop-loss, take-profit and time-stop exits; record closed trades and portfolio snapshots.")

    @OptionGroup var options: AgentOptions

    @OptionGroup var storeOptions: DirectorStoreOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.tradingDirector.rawValue, process: .agent(.tradingDirector))
        let stores = try DirectorStores(storeOptions, settings: topology.director)
        try await AgentHost.run(.tradingDirector, topology: topology, logger: logger) { node in
            try await AgentWiring.tradingDirector(on: node, stores: stores)
        }
    }
}
