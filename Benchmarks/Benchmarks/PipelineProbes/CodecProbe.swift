import Foundation
import WireFormat
import WireProtocol

/// Encode + decode of the envelopes a cycle sends most: a signal, an order and the order's report.
enum CodecProbe {
    static func run(count: Int) {
        let trace = TraceContext.root()
        let signal = Envelope.make(type: EventType.signal, source: "hedgectl", trace: trace,
                                   payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.8))
        let order = Envelope.make(type: OrderSubmit.requestType, source: "execution-agent", trace: trace,
                                  payload: OrderSubmit(clientOrderId: "sig-9f1c2a7be03d4411", account: "desk", symbol: "BTC-USD",
                                                       side: .buy, type: .market, qty: 0.23364996))
        let fill = FillPayload(orderId: "O-1042", clientOrderId: "sig-9f1c2a7be03d4411", account: "desk", symbol: "BTC-USD",
                               side: .buy, price: 60_012.5, qty: 0.23364996, fee: 14.02)
        let report = Envelope.make(type: OrderSubmit.replyType, source: "market-maker", trace: trace,
                                   payload: OrderReport(orderId: "O-1042", clientOrderId: "sig-9f1c2a7be03d4411", account: "desk",
                                                        symbol: "BTC-USD", side: .buy, type: .market, status: .filled, qty: 0.23364996,
                                                        filledQty: 0.23364996, avgPrice: 60_012.5, fills: [fill],
                                                        reason: nil, reasonCode: nil))
        measure("envelope encode+decode: signal", signal, count: count)
        measure("envelope encode+decode: order.submit", order, count: count)
        measure("envelope encode+decode: order.submit.ok", report, count: count)
    }

    /// Median over 9 rounds of the time per encode + decode.
    static func measure<P: MessagePayload & Equatable>(_ name: String, _ envelope: Envelope<P>, count: Int) {
        let codec = JSONEnvelopeCodec()
        let rounds = 9, perRound = max(1, count / rounds)
        var samples: [Double] = []
        for _ in 0..<rounds {
            let started = nanos()
            for _ in 0..<perRound {
                let body = try! codec.encode(envelope)
                let back = try! codec.decode(P.self, from: body)
                precondition(back.payload == envelope.payload, "the codec changed the payload")
            }
            samples.append(Double(nanos() - started) / Double(perRound))
        }
        samples.sort()
        emit(name, samples[rounds / 2] / 1_000, "µs", baseline: "3", note: "ratio to the 3 µs target")
    }
}
