import Agents
import ArgumentParser
import Configuration
import Foundation
import Ledger
import Logging
import Messaging
import WireFormat
import WireProtocol

extension AgentWiring {
    /// The MarketMaker on `node`, over `venueState` (`openVenue`): answers `order.submit`,
    /// `order.cancel`, `order.replace` and `inventory.get`, and runs the market, the quoting and
    /// the hedge legs.
    public static func marketMaker(on node: AgentNode, venueState: VenueState) async throws -> AgentWiring {
        let topology = node.topology
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
        // A filled order's events follow its reply on the loop (`VenueFollowUpService`).
        wiring.yieldsAfterReplies = true
        return wiring
    }

    /// Opens the MarketMaker's state: the ledger at `ledger` (its folder and schema created when
    /// missing; nil runs without one, losing state when the process stops), replayed into the
    /// venue, with the market's opening quotes on disk before it returns.
    public static func openVenue(topology: Topology, ledger: String?, logger: Logger) async throws -> VenueState {
        let store = try ledger.map(openLedger)
        let venueState: VenueState
        do {
            venueState = try VenueState(market: topology.market, accounts: topology.accounts, journal: store.map(LedgerJournal.init(store:)),
                                        at: WallClock.micros())
            try await venueState.barrier().wait()
        } catch {
            throw ValidationError("cannot start the venue: \(error)\(store.map { ". If the ledger \($0.path) belongs to another topology, move it away or pass --ledger" } ?? "")")
        }
        if let store {
            let restored = try store.events().count
            logger.info("ledger \(store.path): \(restored) fill/rejection event(s) on record")
        }
        return venueState
    }

    /// Opens (creating its folder and schema if needed) the ledger file at `path`.
    private static func openLedger(_ path: String) throws -> LedgerStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            return try LedgerStore(path: path, orderWriter: LedgerOrderForms())
        } catch {
            throw ValidationError("cannot open the ledger '\(path)': \(error)")
        }
    }
}
