import AgentRuntime
import Metrics
import Trading
import WireProtocol

/// Publishes what the venue did (fills, inventory, quotes) and runs the MarketMaker's timed
/// loops: market ticks, inventory snapshots, quote refreshes.
struct VenueEvents: Sendable {
    let exchange: Exchange
    let node: AgentNode
    let hedger: Hedger?

    /// After an order was executed, cancelled or replaced: metrics, fill events, inventory if it
    /// changed, a log line, and hedging of the fills.
    func handled(_ report: OrderReport, trace: TraceContext) async {
        VenueMetrics.record(report)
        publishFills(report.fills, symbol: report.symbol, trace: trace)
        node.logger.info("\(report.account) \(report.side.rawValue) \(report.qty) \(report.symbol) \(report.orderId): \(report.status.rawValue)\(report.reason.map { " (\($0))" } ?? "")",
                         metadata: ["trace_id": "\(trace.traceId)"])
    }

    /// Fill events, the inventory they changed, and the hedge leg's answer (in the background,
    /// so the reply to the order that filled is not held up by its hedge).
    func publishFills(_ fills: [FillPayload], symbol: String, trace: TraceContext) {
        guard !fills.isEmpty else { return }
        for fill in fills { node.publish(fill, type: EventType.fill, topic: Topic.fill(fill.symbol), trace: trace) }
        let exchange = self.exchange, node = self.node
        Task(executorPreference: node.loop) { await VenueEvents.publishInventory(of: symbol, exchange: exchange, node: node, trace: trace) }
        if let hedger { Task(executorPreference: node.loop) { await hedger.hedge(fills, trace: trace) } }
    }

    /// Publishes `inventory.<symbol>` (every account's position) and records seed 001's metrics.
    static func publishInventory(of symbol: String, exchange: Exchange, node: AgentNode, trace: TraceContext) async {
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
}
