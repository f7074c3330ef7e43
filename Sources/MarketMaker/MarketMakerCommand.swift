import AgentRuntime
import ArgumentParser
import Configuration

/// `market-maker`: the simulated venue. Owns order execution, the market, inventory, two-sided
/// quoting and the hedge leg; the logic is `VenueAgent` (in Agents), wired here to ZeroMQ.
@main
struct MarketMakerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market-maker",
        abstract: "Run the simulated venue: answers order.submit, order.cancel, order.replace and inventory.get; publishes market, fill, inventory, quote and hedge events.")

    @OptionGroup var options: AgentOptions

    @OptionGroup var ledger: LedgerOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.marketMaker.rawValue, process: .agent(.marketMaker))
        let venueState = try await AgentWiring.openVenue(topology: topology, ledger: ledger.path, logger: logger)
        try await AgentHost.run(.marketMaker, topology: topology, logger: logger) { node in
            try await AgentWiring.marketMaker(on: node, venueState: venueState)
        }
    }
}
