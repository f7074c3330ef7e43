import AgentRuntime
import ArgumentParser
import Logging
import Messaging
import Trading
import WireProtocol

/// `risk-manager`: approves and sizes trades against the MarketMaker's inventory.
@main
struct RiskManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk-manager",
        abstract: "Answer assess requests: approve or reject a trade and size it from the account's inventory at the MarketMaker.")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.riskManager.rawValue)
        let limits = RiskLimits(minConfidence: topology.risk.minConfidence, orderSizePct: topology.risk.orderSizePct,
                                maxInventoryExposurePct: topology.risk.maxInventoryExposurePct,
                                maxContradictionConfidence: topology.risk.maxContradictionConfidence)
        let assessor = RiskAssessor(limits: limits)
        let shortAccounts = Set(topology.accounts.filter(\.allowShort).map(\.name))
        let marks = MarkBook()
        try await AgentHost.run(.riskManager, topology: topology, logger: logger) { node in
            let venue = try await node.client(for: .marketMaker)
            let ticks = try await node.subscribe([Topic.market("")])
            var wiring = AgentWiring()
            wiring.tasks.append {
                for await message in ticks {
                    guard let tick = node.decode(MarketTick.self, message) else { continue }
                    await marks.update(tick.payload)
                }
            }
            wiring.handlers.on(AssessRequest.self) { request in
                let ask = request.payload
                let trace = TraceContext.caused(by: request)
                // Inventory lives at the MarketMaker: ask it rather than keep a copy that can drift.
                let inventory = try await venue.request(InventoryQuery(symbol: ask.symbol, account: ask.account), trace: trace)
                let verdict: RiskVerdict
                if let row = inventory.payload.positions.first, let tick = await marks.tick(for: ask.symbol) {
                    let price = ask.side == .buy ? tick.ask : tick.bid
                    let decision = assessor.assess(side: ask.side, signalConfidence: ask.signalConfidence, analysis: ask.analysis.analysis,
                                                   price: price, position: row.position, allowShort: shortAccounts.contains(ask.account))
                    // Orders go out in whole lots of 1e-8 base, rounded down so limits stay respected;
                    // the tolerance keeps a size that is already whole (e.g. all the base held) whole.
                    let qty = (decision.qty * 1e8 + 1e-6).rounded(.down) / 1e8
                    let approved = decision.approved && qty > 0
                    verdict = RiskVerdict(symbol: ask.symbol, side: ask.side, approved: approved, qty: approved ? qty : 0,
                                          price: decision.price, notional: qty * decision.price,
                                          reason: approved || !decision.approved ? decision.reason : "size \(decision.qty) rounds to zero lots",
                                          limit: approved || !decision.approved ? decision.limit : "lot_size")
                } else {
                    let listed = topology.market.symbols.map(\.symbol)
                    let missing = !listed.contains(ask.symbol)
                        ? "\(ask.symbol) is not listed at the venue (market.symbols: \(listed.joined(separator: ", ")))"
                        : inventory.payload.positions.isEmpty
                            ? "the MarketMaker has no position for account '\(ask.account)' in \(ask.symbol); add it to the account's balances in the topology"
                            : "no market price for \(ask.symbol) has been seen yet"
                    verdict = RiskVerdict(symbol: ask.symbol, side: ask.side, approved: false, qty: 0, price: 0, notional: 0,
                                          reason: missing, limit: "market_data")
                }
                node.publish(verdict, type: EventType.risk, topic: Topic.risk(ask.symbol), trace: trace)
                logger.info("assess \(ask.account) \(ask.side.rawValue) \(ask.symbol): \(verdict.approved ? "approved \(verdict.qty)" : "rejected [\(verdict.limit ?? "-")]") — \(verdict.reason)",
                            metadata: ["trace_id": "\(request.traceId)"])
                return verdict
            }
            return wiring
        }
    }
}

/// The latest market tick per symbol.
actor MarkBook {
    private var ticks: [String: MarketTick] = [:]
    func update(_ tick: MarketTick) { ticks[tick.symbol] = tick }
    func tick(for symbol: String) -> MarketTick? { ticks[symbol] }
}
