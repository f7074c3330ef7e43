import Foundation
import Tracing
import Trading
import WireFormat
import WireProtocol

/// The span push's work per batch (`OTLPBatch`: the spans of the queued envelopes and their
/// OTLP/JSON request body; everything `SpanPush.send` does but the POST), over a batch of the
/// envelopes agents publish in a filled cycle: both sides' `trace` events of its four req/rep
/// hops (analyze, assess, execute, order.submit), the decision, the fill and the order report.
/// Each cycle has ids and a trace of its own, as in a running pipeline.
enum OTLPProbe {
    /// Cycles per batch: a second's worth for one agent at a few hundred signals a second.
    static let cyclesPerBatch = 100

    static func run(count: Int) {
        let batch = (0..<cyclesPerBatch).flatMap { cycle($0) }
        let spans = OTLPBatch.spans(of: batch).count
        precondition(spans == batch.count, "every envelope of the batch is a span")
        let rounds = 9, perRound = max(1, count / rounds)
        var samples: [Double] = []
        var bytes = 0
        for _ in 0..<rounds {
            let started = nanos()
            for _ in 0..<perRound {
                bytes = try! OTLPBatch.body(of: OTLPBatch.spans(of: batch)).count
            }
            samples.append(Double(nanos() - started) / Double(perRound * spans))
        }
        samples.sort()
        emit("otlp push: spans + request body, per span", samples[rounds / 2] / 1_000, "µs",
             note: "\(spans) spans per batch, \(bytes / spans) bytes of OTLP/JSON per span")
    }

    /// The envelopes of one filled cycle, as the agents publish them.
    static func cycle(_ index: Int) -> [PendingSpan] {
        let signal = Envelope.make(type: EventType.signal, source: "hedgectl", trace: .root(),
                                   payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.8))
        let trace = TraceContext.caused(by: signal)
        var pending: [PendingSpan] = []
        var clock = signal.ts
        /// Both sides of one hop: the client's event parented to the request, the server's too.
        func hop(_ type: String, caller: String, callee: String, causedBy parent: String?) -> String {
            let requestId = MessageID.make(), replyId = MessageID.make()
            let context = TraceContext(traceId: trace.traceId, parentId: requestId)
            for (role, source, peer, start, end) in [("server", callee, caller, clock + 40, clock + 260),
                                                      ("client", caller, callee, clock, clock + 300)] {
                let payload = TraceEventPayload(role: role, requestType: type, requestId: requestId, requestParentId: parent,
                                                replyId: replyId, peer: peer, startUs: start, endUs: end, outcome: "ok",
                                                attempts: 1, detail: nil)
                pending.append(PendingSpan(Envelope.make(type: EventType.trace, source: source, trace: context, payload: payload)))
            }
            clock += 300
            return requestId
        }
        _ = hop("analyze", caller: "trading-director", callee: "quant-analyst", causedBy: signal.id)
        _ = hop("assess", caller: "trading-director", callee: "risk-manager", causedBy: signal.id)
        let execute = hop("execute", caller: "trading-director", callee: "execution-agent", causedBy: signal.id)
        let submit = hop(OrderSubmit.requestType, caller: "execution-agent", callee: "market-maker", causedBy: execute)
        let orderId = "O-\(100_000 + index)", clientOrderId = "sig-\(signal.id)"
        let fill = FillPayload(orderId: orderId, clientOrderId: clientOrderId, account: "desk", symbol: "BTC-USD",
                               side: .buy, price: 60_012.5, qty: 0.23364996, fee: 14.02)
        let report = OrderReport(orderId: orderId, clientOrderId: clientOrderId, account: "desk", symbol: "BTC-USD", side: .buy,
                                 type: .market, status: .filled, qty: 0.23364996, filledQty: 0.23364996, avgPrice: 60_012.5,
                                 fills: [fill], reason: nil, reasonCode: nil)
        let analysis = AnalysisReport(symbol: "BTC-USD", direction: .long, confidence: 0.74, technicalScore: 0.61, trendStrength: 0.42,
                                      sampleCount: 120, fastEma: 60_010.25, slowEma: 59_980.5, rsi: 58.3, atr: 41.7,
                                      momentumZ: 1.2, volatility: 0.0031, lastPrice: 60_012.5, thesis: "fast EMA above slow, RSI rising")
        let risk = RiskVerdict(symbol: "BTC-USD", side: .buy, approved: true, qty: 0.23364996, price: 60_012.5, notional: 14_022.02,
                               reason: "within limits", limit: nil)
        let decision = DecisionPayload(signalId: signal.id, symbol: "BTC-USD", side: .buy, outcome: .filled, reason: "filled",
                                       stage: "execute", orderId: orderId, filledQty: 0.23364996, avgPrice: 60_012.5,
                                       analysis: analysis, risk: risk, fills: [fill], latencyUs: 1_450, queuedUs: 12)
        let submitted = TraceContext(traceId: trace.traceId, parentId: submit)
        pending.append(PendingSpan(Envelope.make(type: EventType.fill, source: "market-maker", trace: submitted, payload: fill)))
        let executed = TraceContext(traceId: trace.traceId, parentId: execute)
        pending.append(PendingSpan(Envelope.make(type: EventType.order, source: "execution-agent", trace: executed, payload: report)))
        pending.append(PendingSpan(Envelope.make(type: EventType.decision, source: "trading-director", trace: trace, payload: decision)))
        return pending
    }
}
