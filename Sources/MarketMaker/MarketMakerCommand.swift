import AgentRuntime
import ArgumentParser
import Configuration
import Foundation
import Ledger
import Logging
import Trading
import WireProtocol

/// `market-maker`: the simulated venue. Owns order execution, the market, inventory, two-sided
/// quoting and the hedge leg.
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
        let store = try noLedger ? nil : openLedger(logger: logger)
        let exchange: Exchange
        do {
            exchange = try Exchange(market: topology.market, accounts: topology.accounts, ledger: store) { problem in
                // Answering with state that is not durable would break "committed before acknowledged".
                logger.critical("\(problem); stopping so that a restart restores a consistent state from the ledger")
                Foundation.exit(75)
            }
        } catch {
            throw ValidationError("cannot start the venue: \(error)\(store.map { ". If the ledger \($0.path) belongs to another topology, move it away or pass --ledger" } ?? "")")
        }
        if let store {
            let restored = try store.events().count
            logger.info("ledger \(store.path): \(restored) fill/rejection event(s) on record")
        }
        try await AgentHost.run(.marketMaker, topology: topology, logger: logger) { node in
            let hedger = topology.market.hedges.isEmpty ? nil
                : try Hedger(sections: topology.market.hedges, execution: try await node.client(for: .executionAgent), node: node)
            let events = VenueEvents(exchange: exchange, node: node, hedger: hedger)
            var wiring = AgentWiring()
            wiring.handlers.on(OrderSubmit.self) { request in
                let trace = TraceContext.caused(by: request)
                let outcome = await exchange.submit(request.payload, trace: trace, at: WallClock.micros())
                // Committed before acknowledged: the reply and the fill events wait for the disk.
                try await outcome.commit.wait()
                if outcome.executed { await events.handled(outcome.report, trace: trace) }
                return outcome.report
            }
            wiring.handlers.on(OrderCancel.self) { request in
                guard let report = await exchange.cancel(orderId: request.payload.orderId, account: request.payload.account) else {
                    throw ProtocolError(.notFound, "account \(request.payload.account) has no resting order \(request.payload.orderId)")
                }
                try await exchange.barrier().wait()
                await events.handled(report, trace: .caused(by: request))
                return report
            }
            wiring.handlers.on(OrderReplace.self) { request in
                let ask = request.payload, trace = TraceContext.caused(by: request)
                guard let report = await exchange.replace(orderId: ask.orderId, account: ask.account, qty: ask.qty, price: ask.price,
                                                          trace: trace, at: WallClock.micros()) else {
                    throw ProtocolError(.notFound, "account \(ask.account) has no resting order \(ask.orderId)")
                }
                try await exchange.barrier().wait()
                await events.handled(report, trace: trace)
                return report
            }
            wiring.handlers.on(InventoryQuery.self) { request in
                // Read-your-writes against the disk: the answer waits until every fill it shows is committed.
                let (rows, commit) = await exchange.durablePositions(symbol: request.payload.symbol, account: request.payload.account)
                try await commit.wait()
                return InventorySnapshot(positions: rows)
            }
            wiring.tasks.append { await events.runMarket(interval: .milliseconds(topology.market.tickMs)) }
            wiring.tasks.append { await events.runSnapshots(symbols: topology.market.symbols.map(\.symbol), interval: .milliseconds(topology.market.inventoryMs)) }
            for (symbol, intervalMs) in await exchange.quotedSymbols {
                wiring.tasks.append { await events.runQuoting(symbol: symbol, interval: .milliseconds(intervalMs)) }
            }
            wiring.notes = { await hedger?.notes() ?? [] }
            wiring.onShutdown = {
                await exchange.closeLedger()
                // Every operation was committed as it happened; only the closing balances are logged.
                for row in await exchange.positions() {
                    logger.info("final \(row.account) \(row.symbol): base \(row.base), quote \(row.quote), realized \(row.realizedPnl)")
                }
            }
            return wiring
        }
    }

    /// Opens (creating its folder and schema if needed) the ledger file.
    private func openLedger(logger: Logger) throws -> LedgerStore {
        let folder = URL(fileURLWithPath: ledger).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            return try LedgerStore(path: ledger)
        } catch {
            throw ValidationError("cannot open the ledger '\(ledger)': \(error)")
        }
    }
}
