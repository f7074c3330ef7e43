import AgentRuntime
import Messaging
import Trading
import WireProtocol

/// One signal's trip through the pipeline: analyze → (contradiction check) → assess → execute,
/// ending in exactly one decision. Every failure becomes a `failed` decision naming the step.
struct CycleRunner: Sendable {
    let analyst: RequestClient
    let risk: RequestClient
    let execution: RequestClient
    let settings: DirectorSection
    let policy: RequestPolicy

    func run(_ signal: Envelope<SignalPayload>) async -> DecisionPayload {
        let started = WallClock.micros()
        let trace = TraceContext.caused(by: signal)
        let order = signal.payload
        var stage = "analyze"
        var analysis: AnalysisReport?
        var verdict: RiskVerdict?
        func decide(_ outcome: DecisionOutcome, _ reason: String, report: OrderReport? = nil) -> DecisionPayload {
            DecisionPayload(signalId: signal.id, symbol: order.symbol, side: order.side, outcome: outcome, reason: reason,
                            stage: stage, orderId: report?.orderId, filledQty: report?.filledQty, avgPrice: report?.avgPrice,
                            analysis: analysis, risk: verdict, latencyUs: WallClock.micros() - started)
        }
        do {
            let report = try await analyst.request(AnalyzeRequest(symbol: order.symbol, side: order.side), trace: trace, policy: policy).payload
            analysis = report
            let against: Direction = order.side == .buy ? .short : .long
            if report.direction == against && report.confidence >= settings.contradictionThreshold {
                return decide(.rejected, "analysis contradicts the signal: \(report.direction.rawValue) with confidence \(Self.fixed(report.confidence)) ≥ \(Self.fixed(settings.contradictionThreshold)) (\(report.thesis))")
            }
            stage = "assess"
            let ask = AssessRequest(symbol: order.symbol, side: order.side, account: settings.account,
                                    signalConfidence: order.confidence, analysis: report)
            let risk = try await risk.request(ask, trace: trace, policy: policy).payload
            verdict = risk
            guard risk.approved else { return decide(.rejected, "risk: \(risk.reason)") }
            stage = "execute"
            let submit = OrderSubmit(clientOrderId: "sig-\(signal.id)", account: settings.account, symbol: order.symbol,
                                     side: order.side, type: .market, qty: risk.qty)
            let placed = try await execution.request(ExecuteRequest(order: submit), trace: trace, policy: policy).payload
            stage = "done"
            guard placed.filledQty > 0 else {
                return decide(.rejected, "venue \(placed.status.rawValue): \(placed.reason ?? "nothing filled")", report: placed)
            }
            let verb = order.side == .buy ? "bought" : "sold"
            return decide(.filled, "\(verb) \(placed.filledQty) \(order.symbol) at \(Self.fixed(placed.avgPrice ?? 0)) (order \(placed.orderId))", report: placed)
        } catch {
            return decide(.failed, "\(stage) failed: \(error.message)")
        }
    }

    static func fixed(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        return "\(scaled)"
    }
}
