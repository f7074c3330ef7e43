import Trading
import WireFormat
import WireProtocol

/// One exit's cycle: publish `exit.<symbol>` as the root of a new trace whose parent is the
/// opening signal, send the closing market order through the ExecutionAgent, book the
/// closed trades, and conclude with one decision.
public struct ExitCycle: Sendable {
    let execution: any RequestSending
    let watcher: PositionWatcher
    let recorder: any AnalyticsRecording
    let publisher: any EventPublishing
    let time: any TimeSource
    /// Where the account versions of exit orders' reports go, for the next assessment.
    let versions: AccountVersions

    /// An exit cycle sending through `execution` and publishing its `exit` events on `publisher`.
    public init(execution: any RequestSending, watcher: PositionWatcher, recorder: any AnalyticsRecording,
                publisher: any EventPublishing, time: any TimeSource, versions: AccountVersions = AccountVersions()) {
        self.execution = execution
        self.watcher = watcher
        self.recorder = recorder
        self.publisher = publisher
        self.time = time
        self.versions = versions
    }

    /// Runs the exit and returns its decision and the trace to publish it in.
    public func run(_ due: DueExit) async -> (DecisionPayload, TraceContext) {
        let started = time.nowMicros()
        let action = due.action
        let exit = ExitPayload(
            openingSignalId: due.openingSignalId, openingTraceId: due.openingTraceId, symbol: due.symbol,
            reason: action.reason.rawValue, side: action.side, qty: action.qty.wire, triggerPrice: action.triggerPrice.wire,
            observedPrice: action.observedPrice.wire, targetIndex: action.targetIndex, remainingAfter: action.remainingAfter.wire)
        let root = publisher.publish(exit, type: EventType.exit, topic: Topic.exit(due.symbol),
                                trace: TraceContext(traceId: TraceID.make(), parentId: due.openingSignalId))
        let trace = TraceContext.caused(by: root)
        func decide(_ outcome: DecisionOutcome, _ reason: String, _ report: OrderReport? = nil) -> (DecisionPayload, TraceContext) {
            let decision = DecisionPayload(
                signalId: root.id, symbol: due.symbol, side: action.side, outcome: outcome, reason: reason, stage: "exit",
                orderId: report?.orderId, filledQty: report?.filledQty, avgPrice: report?.avgPrice, fills: report?.fills,
                exit: exit, latencyUs: time.nowMicros() - started)
            return (decision, trace)
        }
        let what = Self.describe(action)
        let order = OrderSubmit(clientOrderId: "exit-\(due.openingSignalId)-\(due.kind)-\(due.attempt)", account: due.account,
                                symbol: due.symbol, side: action.side, type: .market, qty: action.qty.wire)
        do {
            // The record saying this exit was sent is committed before the order leaves, so a
            // restarted director sends it again under the same client order id, never another.
            try await watcher.durable()
        } catch {
            _ = watcher.failed(due, definitive: false)
            return decide(.failed, "\(what): cannot record the exit before sending it: \(error); will retry")
        }
        do {
            let report = try await execution.request(ExecuteRequest(order: order), trace: trace).payload
            versions.saw(report)
            guard report.filledQty > 0 else {
                let retry = watcher.failed(due, definitive: true)
                return decide(.rejected, "\(what): venue \(report.status.rawValue): \(report.reason ?? "nothing filled")"
                              + (retry ? "; will retry" : "; given up after repeated rejections"), report)
            }
            let closed = watcher.filled(due, fills: report.fills, at: time.nowMicros())
            recorder.record(closed, account: due.account, openingSignalId: due.openingSignalId, reason: action.reason.rawValue)
            let pnl = closed.reduce(Money.zero) { $0 + $1.netPnl }
            return decide(.filled, "\(what): \(action.side == .buy ? "bought" : "sold") \(report.filledQty) \(due.symbol) at "
                          + "\(report.avgPrice.map { "\($0)" } ?? "-"), net PnL \(pnl.text(places: 2)), "
                          + "\(action.remainingAfter) left (order \(report.orderId))", report)
        } catch {
            // The order may or may not have reached the venue: the retry reuses its client
            // order id, so the venue executes it at most once.
            _ = watcher.failed(due, definitive: false)
            return decide(.failed, "\(what): execute failed: \(error.message); will retry")
        }
    }

    /// The exit in words: which rule fired, at what price.
    static func describe(_ action: ExitAction) -> String {
        switch action.reason {
        case .stopLoss: "stop-loss at \(NumberText.price(action.triggerPrice.double)) hit by \(NumberText.price(action.observedPrice.double))"
        case .takeProfit: "take-profit \((action.targetIndex ?? 0) + 1) at \(NumberText.price(action.triggerPrice.double)) reached by \(NumberText.price(action.observedPrice.double))"
        case .timeStop: "time stop at \(NumberText.price(action.observedPrice.double))"
        }
    }
}
