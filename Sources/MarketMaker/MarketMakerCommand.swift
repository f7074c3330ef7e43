import AgentRuntime
import ArgumentParser
import Logging
import Metrics
import Trading
import WireProtocol

/// `market-maker`: the simulated venue. Owns order execution, the market and inventory.
@main
struct MarketMakerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market-maker",
        abstract: "Run the simulated venue: answers order.submit and inventory.get, publishes market, fill and inventory events.")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.marketMaker.rawValue)
        let exchange: Exchange
        do { exchange = try Exchange(market: topology.market, accounts: topology.accounts) } catch {
            throw ValidationError("the topology's market or accounts are not usable: \(error.message)")
        }
        try await AgentHost.run(.marketMaker, topology: topology, logger: logger) { node in
            var wiring = AgentWiring()
            wiring.handlers.on(OrderSubmit.self) { request in
                let trace = TraceContext.caused(by: request)
                let outcome = await exchange.submit(request.payload, trace: trace, at: WallClock.micros())
                if outcome.executed {
                    VenueMetrics.record(outcome.report)
                    for fill in outcome.report.fills { node.publish(fill, type: EventType.fill, topic: Topic.fill(fill.symbol), trace: trace) }
                    if !outcome.report.fills.isEmpty {
                        await publishInventory(of: request.payload.symbol, exchange: exchange, node: node, trace: trace)
                    }
                    logger.info("\(request.payload.account) \(request.payload.side.rawValue) \(request.payload.qty) \(request.payload.symbol): \(outcome.report.status.rawValue)\(outcome.report.reason.map { " (\($0))" } ?? "")",
                                metadata: ["trace_id": "\(request.traceId)"])
                }
                return outcome.report
            }
            wiring.handlers.on(InventoryQuery.self) { request in
                InventorySnapshot(positions: await exchange.positions(symbol: request.payload.symbol, account: request.payload.account))
            }
            wiring.tasks.append {
                await runMarket(exchange: exchange, node: node, interval: .milliseconds(topology.market.tickMs))
            }
            wiring.tasks.append {
                // Periodic snapshots let late subscribers (recorders, a restarted RiskManager) know
                // the inventory without waiting for the next fill.
                while !Task.isCancelled {
                    for symbol in topology.market.symbols.map(\.symbol) {
                        await publishInventory(of: symbol, exchange: exchange, node: node, trace: .root())
                    }
                    try? await Task.sleep(for: .milliseconds(topology.market.inventoryMs))
                }
            }
            wiring.onShutdown = {
                for row in await exchange.positions() {
                    logger.info("final \(row.account) \(row.symbol): base \(row.base), quote \(row.quote), realized \(row.realizedPnl)")
                }
            }
            return wiring
        }
    }
}

/// Ticks every symbol's price process each interval, publishing the tick and any resting-order
/// fills it caused.
func runMarket(exchange: Exchange, node: AgentNode, interval: Duration) async {
    let clock = ContinuousClock()
    var next = clock.now
    while !Task.isCancelled {
        for move in await exchange.tick(at: WallClock.micros()) {
            let tick = MarketTick(symbol: move.symbol, bid: move.quote.bid, ask: move.quote.ask, last: move.quote.last)
            node.publish(tick, type: EventType.market, topic: Topic.market(move.symbol), trace: .root())
            for (fill, trace) in move.fills {
                node.publish(FillPayload(fill), type: EventType.fill, topic: Topic.fill(fill.symbol), trace: trace)
            }
            if let trace = move.fills.last?.1 {
                await publishInventory(of: move.symbol, exchange: exchange, node: node, trace: trace)
            }
        }
        next = next.advanced(by: interval)
        try? await Task.sleep(until: next, clock: clock)
    }
}

/// Publishes `inventory.<symbol>`: every account's position in `symbol`.
func publishInventory(of symbol: String, exchange: Exchange, node: AgentNode, trace: TraceContext) async {
    let snapshot = InventorySnapshot(positions: await exchange.positions(symbol: symbol))
    VenueMetrics.record(snapshot)
    let (states, newlyOverLimit) = await exchange.inventoryStates()
    VenueMetrics.record(states, newlyOverLimit: newlyOverLimit)
    for state in newlyOverLimit {
        node.logger.warning("\(state.account) \(state.symbol) over its inventory limit: effective \(state.effectiveInventory) vs max \(state.maxInventory ?? 0)\(state.hedgeSuggestion.map { "; suggest \($0.side.rawValue) \($0.qty): \($0.reason)" } ?? "")",
                            metadata: ["trace_id": "\(trace.traceId)"])
    }
    node.publish(snapshot, type: EventType.inventory, topic: Topic.inventory(symbol), trace: trace)
}
