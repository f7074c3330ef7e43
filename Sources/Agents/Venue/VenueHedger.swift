import Configuration
import Logging
import Trading
import WireFormat
import WireProtocol

/// One hedge leg as the venue runs it: the topology's section and the ExecutionAgent client its
/// orders go through (in a deployment, one that tries each order the leg's `attempts` times).
public struct HedgeRoute: Sendable {
    /// The leg: from which account to which, and how many attempts per order.
    public var section: HedgeSection
    /// Where its hedge orders are sent (`execute` requests).
    public var execution: any RequestSending

    /// A leg sending its orders through `execution`.
    public init(section: HedgeSection, execution: any RequestSending) {
        self.section = section
        self.execution = execution
    }
}

/// The hedge leg between two accounts: every fill on a leg's `from` account is offset by an opposite-side
/// market order of the same quantity on its `to` account, sent through the ExecutionAgent on the
/// fill's trace. Sending is retried (same request id) by the route's client up to the leg's
/// attempts; a venue rejection is final. Outcomes are published as `hedge.<symbol>` events and
/// failures kept for status.
public actor VenueHedger {
    private let legs: [String: (leg: HedgeLeg, attempts: Int, execution: any RequestSending)]
    private let publisher: any EventPublishing
    private let logger: Logger
    private let metrics: any VenueMetricsRecording
    private let time: any TimeSource
    private var fillNumbers: [String: Int] = [:]
    private var hedged = 0
    private var failures: [String] = []
    private var failureCount = 0

    /// Hedges fills on each route's `from` account; throws when a route is not a valid leg.
    public init(routes: [HedgeRoute], publisher: any EventPublishing, logger: Logger, metrics: any VenueMetricsRecording,
                time: any TimeSource) throws(TradingError) {
        var legs: [String: (HedgeLeg, Int, any RequestSending)] = [:]
        for route in routes {
            legs[route.section.from] = (try HedgeLeg(from: route.section.from, to: route.section.to), route.section.attempts, route.execution)
        }
        self.legs = legs
        self.publisher = publisher
        self.logger = logger
        self.metrics = metrics
        self.time = time
    }

    /// Hedges each fill on a leg's `from` account, in order.
    func hedge(_ fills: [FillPayload], trace: TraceContext) async {
        for fill in fills {
            guard let (leg, attempts, execution) = legs[fill.account] else { continue }
            let number = fillNumbers[fill.orderId, default: 0] + 1
            fillNumbers[fill.orderId] = number
            guard let request = leg.hedgeOrder(for: Fill(fill, at: time.nowMicros()), fillNumber: number) else { continue }
            let order = OrderSubmit(clientOrderId: request.clientOrderId, account: request.account, symbol: request.symbol,
                                    side: request.side, type: .market, qty: request.qty.wire)
            let event: HedgeEventPayload
            do {
                let report = try await execution.request(ExecuteRequest(order: order), trace: trace).payload
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
        publisher.publish(event, type: EventType.hedge, topic: Topic.hedge(symbol), trace: trace)
        metrics.record(event)
        if event.status == "filled" {
            hedged += 1
            logger.info("hedged \(event.fillSide.rawValue) \(event.qty) \(symbol) on \(event.from) with \(event.fillSide.opposite.rawValue) on \(event.to): \(event.hedgeOrderId ?? "")",
                        metadata: ["trace_id": .string(trace.traceId)])
        } else {
            let line = "hedge of \(event.fillOrderId) on \(event.to) \(event.status): \(event.reason ?? "")"
            failureCount += 1
            failures = Array((failures + [line]).suffix(5))
            logger.error("\(line)", metadata: ["trace_id": .string(trace.traceId)])
        }
    }

    /// What `hedgectl status` shows for the hedge legs.
    public func notes() -> [String] {
        failures.last.map { ["\(failureCount) hedge failure(s), last: \($0)"] } ?? []
    }
}
