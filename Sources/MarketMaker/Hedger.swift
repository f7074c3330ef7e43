import AgentRuntime
import Configuration
import Instrumentation
import Logging
import Messaging
import Metrics
import Trading
import WireProtocol

/// Seed 002's hedge leg: every fill on a leg's `from` account is offset by an opposite-side
/// market order of the same quantity on its `to` account, sent through the ExecutionAgent on the
/// fill's trace. Sending is retried (same request id) up to the leg's attempts; a venue rejection
/// is final. Outcomes are published as `hedge.<symbol>` events and failures kept for status.
actor Hedger {
    private let legs: [String: (leg: HedgeLeg, attempts: Int)]
    private let execution: RequestClient
    private let node: AgentNode
    private var fillNumbers: [String: Int] = [:]
    private(set) var hedged = 0
    private(set) var failures: [String] = []
    private(set) var failureCount = 0

    init(sections: [HedgeSection], execution: RequestClient, node: AgentNode) throws(TradingError) {
        var legs: [String: (HedgeLeg, Int)] = [:]
        for section in sections { legs[section.from] = (try HedgeLeg(from: section.from, to: section.to), section.attempts) }
        self.legs = legs
        self.execution = execution
        self.node = node
    }

    /// Hedges each fill on a leg's `from` account, in order.
    func hedge(_ fills: [FillPayload], trace: TraceContext) async {
        for fill in fills {
            guard let (leg, attempts) = legs[fill.account] else { continue }
            let number = fillNumbers[fill.orderId, default: 0] + 1
            fillNumbers[fill.orderId] = number
            let source = Fill(orderId: fill.orderId, clientOrderId: fill.clientOrderId, account: fill.account, symbol: fill.symbol,
                              side: fill.side, price: fill.price, qty: fill.qty, fee: fill.fee, timestampMicros: WallClock.micros())
            guard let request = leg.hedgeOrder(for: source, fillNumber: number) else { continue }
            let order = OrderSubmit(clientOrderId: request.clientOrderId, account: request.account, symbol: request.symbol,
                                    side: request.side, type: .market, qty: request.qty)
            let event: HedgeEventPayload
            do {
                let report = try await execution.request(ExecuteRequest(order: order), trace: trace,
                                                         policy: RequestPolicy(attemptTimeout: .seconds(2), attempts: attempts)).payload
                let filled = report.filledQty > 0
                event = HedgeEventPayload(from: leg.from, to: leg.to, fillOrderId: fill.orderId, fillSide: fill.side, qty: fill.qty,
                                          status: filled ? "filled" : "rejected", hedgeOrderId: report.orderId, attempts: 1,
                                          reason: filled ? nil : report.reason)
            } catch {
                event = HedgeEventPayload(from: leg.from, to: leg.to, fillOrderId: fill.orderId, fillSide: fill.side, qty: fill.qty,
                                          status: "failed", hedgeOrderId: nil, attempts: attempts, reason: error.message)
            }
            record(event, symbol: fill.symbol, trace: trace)
        }
    }

    private func record(_ event: HedgeEventPayload, symbol: String, trace: TraceContext) {
        node.publish(event, type: EventType.hedge, topic: Topic.hedge(symbol), trace: trace)
        Instruments.counter("hedgebus_hedges_total", [("from", event.from), ("to", event.to), ("status", event.status)]).increment()
        if event.status == "filled" {
            hedged += 1
            node.logger.info("hedged \(event.fillSide.rawValue) \(event.qty) \(symbol) on \(event.from) with \(event.fillSide.opposite.rawValue) on \(event.to): \(event.hedgeOrderId ?? "")",
                             metadata: ["trace_id": "\(trace.traceId)"])
        } else {
            let line = "hedge of \(event.fillOrderId) on \(event.to) \(event.status): \(event.reason ?? "")"
            failureCount += 1
            failures = Array((failures + [line]).suffix(5))
            node.logger.error("\(line)", metadata: ["trace_id": "\(trace.traceId)"])
        }
    }

    /// What `hedgectl status` shows for the hedge legs.
    func notes() -> [String] {
        failures.last.map { ["\(failureCount) hedge failure(s), last: \($0)"] } ?? []
    }
}
