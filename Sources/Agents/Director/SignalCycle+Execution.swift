import Foundation
import Ledger
import ServiceLifecycle
import Trading
import WireFormat
import WireProtocol

// A cycle's last step: the order sent, sent again while its outcome is in doubt, and what it
// filled booked.
extension SignalCycle {
    /// Finishes a signal whose order a previous run of the director was sending: the same order
    /// (same client order id) is sent again, so the venue answers with the first result if it
    /// got it and executes it once if it did not; a fill is watched with the recorded plan. Nil
    /// as `execute` gives it.
    func resume(_ signal: Envelope<SignalPayload>, step: ExecutionStep) async -> DecisionPayload? {
        guard var decision = await execute(signal, step, started: time.nowMicros()) else { return nil }
        decision.reason += " (resumed after a restart)"
        return decision
    }

    /// Sends the approved order and books what it filled. Nil, leaving the signal without a
    /// decision, when the director stops while the order is in doubt and the order's record is
    /// on disk (`leavesInDoubtForNextStart`): the next start sends it again.
    func execute(_ signal: Envelope<SignalPayload>, _ step: ExecutionStep, started: Int64) async -> DecisionPayload? {
        let trace = TraceContext.caused(by: signal)
        let order = signal.payload
        let risk = step.verdict
        var stage = "execute"
        func decide(_ outcome: DecisionOutcome, _ reason: String, report: OrderReport? = nil) -> DecisionPayload {
            DecisionPayload(signalId: signal.id, symbol: order.symbol, side: order.side, outcome: outcome, reason: reason,
                            stage: stage, orderId: report?.orderId, filledQty: report?.filledQty, avgPrice: report?.avgPrice,
                            analysis: step.analysis, risk: risk, fills: report?.fills, latencyUs: time.nowMicros() - started)
        }
        do {
            guard let answered = try await sendUntilAnswered(ExecuteRequest(order: Self.order(for: signal, step, account: settings.account)),
                                                             trace: trace) else { return nil }
            let placed = answered.payload
            versions.saw(placed)
            stage = "done"
            guard placed.filledQty > 0 else {
                return decide(.rejected, "venue \(placed.status.rawValue): \(placed.reason ?? "nothing filled")", report: placed)
            }
            // Composed in one buffer and made a `String` once (`String` interpolation and `+`
            // grew and copied it part by part).
            var reason: ComposedText = "\(order.side == .buy ? "bought" : "sold") \(placed.filledQty) \(order.symbol) at "
            if let price = placed.avgPrice { reason.appendInterpolation(price) } else { reason.appendLiteral("-") }
            reason.appendLiteral(" (order ")
            reason.appendInterpolation(placed.orderId)
            reason.appendLiteral(")")
            if let plan = risk.plan {
                switch watcher.open(signal: signal, account: settings.account, plan: plan, plannedQty: Quantity(wire: risk.qty),
                                          report: placed, at: time.nowMicros()) {
                case .failure(let problem):
                    reason.append("; not watched for exits: \(problem)")
                case .success(let (offsets, isWatching)):
                    if !offsets.isEmpty {
                        // Recorded (a log line each, and the analytics) once the decision has left.
                        let (recorder, account) = (recorder, settings.account)
                        afterSends {
                            for offset in offsets {
                                recorder.record(offset.trades, account: account, openingSignalId: offset.openingSignalId,
                                                reason: AnalyticsTrade.signalExitReason)
                            }
                        }
                        reason.append("; closed \(offsets.count) opposite position(s)")
                    }
                    if isWatching {
                        reason.append("; watching stop \(price: Price(wire: plan.stopPrice).double), targets ")
                        for (index, target) in plan.targets.enumerated() {
                            if index > 0 { reason.appendLiteral("/") }
                            reason.appendInterpolation(price: Price(wire: target.price).double)
                        }
                    }
                }
            }
            return decide(.filled, reason.string, report: placed)
        } catch {
            return decide(.failed, "\(stage) failed: \(error.message)")
        }
    }

    /// How long a cycle waits before it sends an unanswered order again (the sends that time
    /// out have waited their step's time already; this spaces those that fail at once).
    static let inDoubtPause: Duration = .milliseconds(100)

    /// Sends `request`; while no answer says what became of its order (the ExecutionAgent timed
    /// out, could not be reached or was busy, so the order may have reached the venue), sends it
    /// again, with the same client order id, until one does or `order_in_doubt_ms` has passed
    /// since the first send went unanswered. The venue executes an order once and answers a
    /// repeat with its first result, so the cycle ends with what the order did rather than a
    /// failure that may hide a fill. Any other error ends it at once: the order was refused
    /// before it was placed. Nil once the director stops while the order is in doubt, when the
    /// next start will send it again (`leavesInDoubtForNextStart`).
    private func sendUntilAnswered(_ request: ExecuteRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<OrderReport>? {
        do {
            return try await execution.request(request, trace: trace)
        } catch {
            return try await sendAgain(request, trace: trace, after: error)
        }
    }

    /// `sendUntilAnswered` once the first send has failed with `failure`.
    private func sendAgain(_ request: ExecuteRequest, trace: TraceContext, after failure: ProtocolError) async throws(ProtocolError)
        -> Envelope<OrderReport>? {
        let clock = ContinuousClock()
        let giveUp = clock.now.advanced(by: .milliseconds(settings.orderInDoubtMs))
        var (error, sends) = (failure, 1)
        while [.timeout, .unreachable, .busy].contains(error.code) {
            if leavesInDoubtForNextStart { return nil }
            guard clock.now < giveUp, !Task.isCancelled else {
                guard settings.orderInDoubtMs > 0 else { throw error }
                throw ProtocolError(error.code, "\(error.message); order \(request.order.clientOrderId) in doubt after "
                                    + "\(sends) send(s) over \(settings.orderInDoubtMs) ms (order_in_doubt_ms): "
                                    + "it may have reached the venue (hedgectl ledger lists its fills)")
            }
            try? await Task.sleep(until: min(clock.now.advanced(by: Self.inDoubtPause), giveUp), clock: clock)
            sends += 1
            do {
                return try await execution.request(request, trace: trace)
            } catch let next {
                error = next
            }
        }
        throw error
    }

    /// Whether an order in doubt is to be left to the next start now: the director is stopping
    /// (gracefully, or its task is cancelled) and has recorded the order before it left, so the
    /// next start resumes the signal and sends the same order again. Without a journal, or with
    /// `order_in_doubt_ms` 0, the order is never left: the cycle decides as before.
    private var leavesInDoubtForNextStart: Bool {
        journal != nil && settings.orderInDoubtMs > 0 && (Task.isShuttingDownGracefully || Task.isCancelled)
    }

    /// The entry order of `signal`: its client order id is derived from the signal id, so a
    /// resend is recognised by the venue.
    static func order(for signal: Envelope<SignalPayload>, _ step: ExecutionStep, account: String) -> OrderSubmit {
        OrderSubmit(clientOrderId: clientOrderId(of: signal), account: account, symbol: signal.payload.symbol,
                    side: signal.payload.side, type: .market, qty: step.verdict.qty)
    }

    /// The client order id of `signal`'s entry order.
    static func clientOrderId(of signal: Envelope<SignalPayload>) -> String { "sig-\(signal.id)" }
}
