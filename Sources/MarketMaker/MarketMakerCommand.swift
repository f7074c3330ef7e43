import AgentRuntime
import Agents
import ArgumentParser
import Configuration
import Foundation
import Ledger
import Logging
import Messaging
import WireFormat
import WireProtocol

/// `market-maker`: the simulated venue. Owns order execution, the market, inventory, two-sided
/// quoting and the hedge leg; the logic is `VenueAgent` (in Agents), wired here to ZeroMQ.
@main
struct MarketMakerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market-maker",
        abstract: "Run the simulated venue: answers order.submit, order.cancel, order.replace and inventory.get; publishes market, fill, inventory, quote and hedge events.")

    @OptionGroup var options: AgentOptions

    @Option(help: "SQLite ledger: every fill and rejection is committed here before it is acknowledged, and state is restored from it at start. Delete the file to start from the topology's balances.")
    var ledger: String = "run/ledger.sqlite"

    @Flag(help: "Run without a ledger (state is lost when the process stops).")
    var noLedger = false

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.marketMaker.rawValue)
        let store = try noLedger ? nil : openLedger()
        let venueState: VenueState
        do {
            venueState = try VenueState(market: topology.market, accounts: topology.accounts, journal: store.map(LedgerJournal.init(store:)),
                                    at: WallClock.micros())
            // The market's opening quotes are on disk before anything is served.
            try await venueState.barrier().wait()
        } catch {
            throw ValidationError("cannot start the venue: \(error)\(store.map { ". If the ledger \($0.path) belongs to another topology, move it away or pass --ledger" } ?? "")")
        }
        if let store {
            let restored = try store.events().count
            logger.info("ledger \(store.path): \(restored) fill/rejection event(s) on record")
        }
        try await AgentHost.run(.marketMaker, topology: topology, logger: logger) { node in
            var hedges: [HedgeRoute] = []
            for section in topology.market.hedges {
                // The leg's attempts are the client's: each hedge order is resent (same request id) that often.
                let execution = try await node.client(for: .executionAgent, policy: RequestPolicy(attemptTimeout: .milliseconds(HedgeSection.attemptTimeoutMs), attempts: section.attempts))
                hedges.append(HedgeRoute(section: section, execution: execution))
            }
            let venue = try VenueAgent(venueState: venueState, publisher: node, logger: node.logger, metrics: VenueMetrics(), hedges: hedges)
            var wiring = AgentWiring()
            wiring.handlers.on(OrderSubmit.self) { try await venue.submit($0) }
            wiring.handlers.on(OrderCancel.self) { try await venue.cancel($0) }
            wiring.handlers.on(OrderReplace.self) { try await venue.replace($0) }
            wiring.handlers.on(InventoryQuery.self) { try await venue.inventory($0) }
            wiring.services = await venue.services(market: topology.market)
            wiring.notes = { await venue.notes() }
            return wiring
        }
    }

    /// Opens (creating its folder and schema if needed) the ledger file.
    private func openLedger() throws -> LedgerStore {
        let folder = URL(fileURLWithPath: ledger).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            return try LedgerStore(path: ledger, orderWriter: LedgerOrderForms())
        } catch {
            throw ValidationError("cannot open the ledger '\(ledger)': \(error)")
        }
    }
}
