import AgentRuntime
import ArgumentParser
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

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.marketMaker.rawValue)
        let exchange: Exchange
        do { exchange = try Exchange(market: topology.market, accounts: topology.accounts) } catch {
            throw ValidationError("the topology's market or accounts are not usable: \(error)")
        }
        try await AgentHost.run(.marketMaker, topology: topology, logger: logger) { node in
            let hedger = topology.market.hedges.isEmpty ? nil
                : try Hedger(sections: topology.market.hedges, execution: try await node.client(for: .executionAgent), node: node)
            let events = VenueEvents(exchange: exchange, node: node, hedger: hedger)
            var wiring = AgentWiring()
            wiring.handlers.on(OrderSubmit.self) { request in
                let trace = TraceContext.caused(by: request)
                let outcome = await exchange.submit(request.payload, trace: trace, at: WallClock.micros())
                if outcome.executed { await events.handled(outcome.report, trace: trace) }
                return outcome.report
            }
            wiring.handlers.on(OrderCancel.self) { request in
                guard let report = await exchange.cancel(orderId: request.payload.orderId, account: request.payload.account) else {
                    throw ProtocolError(.notFound, "account \(request.payload.account) has no resting order \(request.payload.orderId)")
                }
                await events.handled(report, trace: .caused(by: request))
                return report
            }
            wiring.handlers.on(OrderReplace.self) { request in
                let ask = request.payload, trace = TraceContext.caused(by: request)
                guard let report = await exchange.replace(orderId: ask.orderId, account: ask.account, qty: ask.qty, price: ask.price,
                                                          trace: trace, at: WallClock.micros()) else {
                    throw ProtocolError(.notFound, "account \(ask.account) has no resting order \(ask.orderId)")
                }
                await events.handled(report, trace: trace)
                return report
            }
            wiring.handlers.on(InventoryQuery.self) { request in
                InventorySnapshot(positions: await exchange.positions(symbol: request.payload.symbol, account: request.payload.account))
            }
            wiring.tasks.append { await events.runMarket(interval: .milliseconds(topology.market.tickMs)) }
            wiring.tasks.append { await events.runSnapshots(symbols: topology.market.symbols.map(\.symbol), interval: .milliseconds(topology.market.inventoryMs)) }
            for (symbol, intervalMs) in await exchange.quotedSymbols {
                wiring.tasks.append { await events.runQuoting(symbol: symbol, interval: .milliseconds(intervalMs)) }
            }
            wiring.notes = { await hedger?.notes() ?? [] }
            wiring.onShutdown = {
                for row in await exchange.positions() {
                    logger.info("final \(row.account) \(row.symbol): base \(row.base), quote \(row.quote), realized \(row.realizedPnl)")
                }
            }
            return wiring
        }
    }
}
