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

    @Option(help: "SQLite file for closed trades and portfolio snapshots, read by `hedgectl report`.")
    var analytics: String = "run/analytics.sqlite"

    @Flag(help: "Keep no analytics database.")
    var noAnalytics = false

    @Option(help: "SQLite file of the director's durable records: accepted signals with their progress and decisions, and the plan and exit progress of every watched position, from which a restarted director carries on (default: director.sqlite beside --analytics).")
    var store: String?

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.tradingDirector.rawValue)
        let stores = try DirectorStores(analytics: analytics, keepAnalytics: !noAnalytics, store: store, settings: topology.director)
        try await AgentHost.run(.tradingDirector, topology: topology, logger: logger) { node in
            try await AgentWiring.tradingDirector(on: node, stores: stores)
        }
    }
}
