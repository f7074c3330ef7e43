import Foundation
import Trading
@testable import WireFormat
@testable import WireProtocol

/// Representative and random values of every payload type, for parity tests.
enum SamplePayloads {
    static let traceId = "4bf92f3577b34da6a3ce929d0e0e4736"

    static func envelope<P: MessagePayload>(_ type: String, _ payload: P, parent: String? = nil) -> Envelope<P> {
        Envelope(id: "m-1", type: type, traceId: traceId, parentId: parent, source: "hedgectl", ts: 1_700_000_000_000_001, payload: payload)
    }

    static let fill = FillPayload(orderId: "O-1", clientOrderId: "c-1", account: "desk", symbol: "BTC-USD", side: .buy,
                                  price: 60012.5, qty: 0.25, fee: 15.003125)
    static let analysis = AnalysisReport(symbol: "BTC-USD", direction: .long, confidence: 0.62, technicalScore: -0.125, trendStrength: 0.3,
                                         sampleCount: 120, fastEma: 60010.25, slowEma: 59990.123456789, rsi: 55.5, atr: 1e-08,
                                         momentumZ: -1.5e-7, volatility: 0.30000000000000004,
                                         keyLevels: KeyLevelsPayload(support: 59000, resistance: 61000.75), lastPrice: 60012.5,
                                         thesis: "EMA fast > slow; \"quoted\" \\ back/slash\n\tcontrol \u{1} é 😀")
    static let plan = RiskPlanPayload(
        TradePlan(symbol: "BTC-USD", side: .buy, entryPrice: 60012.5, stopPrice: 59000, qty: 0.25, notional: 15003.125,
                  riskAmount: 253.125, riskPct: 0.0025, sizedBy: .input, leverage: 3, margin: 5000.5,
                  targets: [PlannedTarget(riskReward: 2, fraction: 0.5, price: 62000, qty: 0.125)], exposureAfter: 0.15,
                  heatAfter: 0.02, marginUsageAfter: 0.1,
                  warnings: [PlanWarning(kind: .marginUsage, value: 0.85, threshold: 0.8, message: "margin usage 85% > 80%")],
                  summary: "plan"),
        capital: 100_000, assumedStops: ["ETH-USD"])
    static let verdict = RiskVerdict(symbol: "BTC-USD", side: .buy, approved: true, qty: 0.25, price: 60012.5, notional: 15003.125,
                                     reason: "within limits", limit: nil, observed: 0.02, allowed: 0.1, plan: plan)
    static let report = OrderReport(orderId: "O-1", clientOrderId: "c-1", account: "desk", symbol: "BTC-USD", side: .buy, type: .limit,
                                    status: .partiallyFilled, qty: 0.5, filledQty: 0.25, avgPrice: 60012.5, fills: [fill],
                                    reason: nil, reasonCode: nil)
    static let submit = OrderSubmit(clientOrderId: "c-1", account: "desk", symbol: "BTC-USD", side: .sell, type: .limit, qty: 0.5, price: 60012.5)
    static let exit = ExitPayload(openingSignalId: "s-1", openingTraceId: traceId, symbol: "BTC-USD", reason: "stop_loss", side: .sell,
                                  qty: 0.25, triggerPrice: 59000, observedPrice: 58999.99, targetIndex: nil, remainingAfter: 0)

    /// One envelope of every payload type in Sources/WireProtocol/Payloads (and JSONValue).
    static var everyPayload: [(name: String, check: (Parity) throws -> Void)] {
        func entry<P: MessagePayload & Equatable>(_ type: String, _ payload: P) -> (String, (Parity) throws -> Void) {
            (type, { try $0.check(envelope(type, payload, parent: type.hasSuffix(".ok") ? "m-0" : nil)) })
        }
        return [
            entry("heartbeat", HeartbeatPayload(agent: "risk-manager", pid: 4242, seq: 7, uptimeMs: 123_456, endpoint: "tcp://127.0.0.1:5001",
                                                handled: 10, errors: 0, notes: ["hedge failed: venue down"])),
            entry("heartbeat", HeartbeatPayload(agent: "bus", pid: 1, seq: 0, uptimeMs: 0, endpoint: nil, handled: 0, errors: 0)),
            entry("ping", PingRequest()),
            entry("error", ErrorPayload(ProtocolError(.missingField, "missing required field 'payload.symbol'"))),
            entry("trace.x", TraceEventPayload(role: "client", requestType: "assess", requestId: "r-1", requestParentId: nil, replyId: "r-2",
                                               peer: "risk-manager", startUs: 1, endUs: 99, outcome: "ok", attempts: 1, detail: nil)),
            entry("metrics", MetricsRequest()),
            entry("metrics.ok", MetricsReport(agent: "bus", exposition: "# HELP x\nx_total{a=\"b\"} 3\n")),
            entry("analyze", AnalyzeRequest(symbol: "BTC-USD", side: .buy)),
            entry("key_levels", KeyLevelsPayload(support: 1, resistance: 2.5)),
            entry("analyze.ok", analysis),
            entry("analyze.ok", AnalysisReport(symbol: "ETH-USD", direction: .flat, confidence: 0, sampleCount: 0, thesis: "")),
            entry("decision", DecisionPayload(signalId: "s-1", symbol: "BTC-USD", side: .buy, outcome: .filled, reason: "filled", stage: "done",
                                              orderId: "O-1", filledQty: 0.25, avgPrice: 60012.5, analysis: analysis, risk: verdict,
                                              fills: [fill, fill], exit: exit, latencyUs: 1234)),
            entry("decision", DecisionPayload(signalId: "s-2", symbol: "BTC-USD", side: .sell, outcome: .failed, reason: "timeout", stage: "analyze",
                                              latencyUs: 5)),
            entry("exit.x", exit),
            entry("inventory.get", InventoryQuery(symbol: "BTC-USD", account: nil)),
            entry("inventory.get.ok", InventorySnapshot(positions: [PositionPayload(account: "desk", symbol: "BTC-USD", base: -0.5, quote: 30006.25,
                                                                                    avgEntryPrice: 60012.5, realizedPnl: -12.75, unrealizedPnl: 3.5e-5,
                                                                                    fees: 15.003125, mark: nil)])),
            entry("tick", MarketTick(symbol: "BTC-USD", bid: 60012, ask: 60013.5, last: 60012.75)),
            entry("order.cancel", OrderCancel(account: "desk", orderId: "O-1")),
            entry("order.replace", OrderReplace(account: "desk", orderId: "O-1", qty: 0.1, price: nil)),
            entry("quote_level", QuoteLevelPayload(price: 100.25, qty: 3)),
            entry("quote.x", QuoteEventPayload(symbol: "BTC-USD", account: "mm", bids: [QuoteLevelPayload(price: 1, qty: 2)], asks: [],
                                               placed: 1, cancelled: 2, rejected: ["q-1"], flatten: nil, problem: "inventory over limit", stopped: false)),
            entry("hedge.x", HedgeEventPayload(from: "mm", to: "desk", fillOrderId: "O-9", fillSide: .sell, qty: 1.5, status: "hedged",
                                               hedgeOrderId: "O-10", attempts: 2, reason: nil)),
            entry("order.submit", submit),
            entry("order.submit", OrderSubmit(clientOrderId: "c-2", account: "desk", symbol: "ETH-USD", side: .buy, type: .market, qty: 1e-8)),
            entry("execute", ExecuteRequest(order: submit)),
            entry("order.submit.ok", report),
            entry("order.submit.ok", OrderReport(orderId: "O-2", clientOrderId: "c-2", account: "desk", symbol: "BTC-USD", side: .sell, type: .market,
                                                 status: .rejected, qty: 1, filledQty: 0, avgPrice: nil, fills: [],
                                                 reason: "insufficient quote: need 60012.5, have 10", reasonCode: "insufficient_quote")),
            entry("fill.x", fill),
            entry("positions.get", OpenPositionsQuery(symbol: nil)),
            entry("positions.get.ok", OpenPositionsReport(positions: [WatchedPositionPayload(
                openingSignalId: "s-1", openingTraceId: traceId, account: "desk", symbol: "BTC-USD", side: .buy, remainingQty: 0.125,
                entryPrice: 60012.5, stopPrice: 59000, targets: [WatchedTargetPayload(price: 62000, qty: 0.125, hit: true)],
                openedAtUs: 1_700_000_000_000_000, timeStopAtUs: nil)])),
            entry("watched_target", WatchedTargetPayload(price: 1, qty: 2, hit: false)),
            entry("assess", AssessRequest(symbol: "BTC-USD", side: .buy, account: "desk", signalConfidence: 0.8, analysis: analysis)),
            entry("assess.ok", verdict),
            entry("assess.ok", RiskVerdict(symbol: "BTC-USD", side: .sell, approved: false, qty: 0, price: 60012.5, notional: 0,
                                           reason: "heat 12% > 10%", limit: "portfolio_heat", observed: 0.12, allowed: 0.1)),
            entry("plan_target", PlanTargetPayload(riskReward: 1.5, fraction: 0.25, price: 61000, qty: 0.0625)),
            entry("plan", plan),
            entry("signal", SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.75, note: "breakout")),
            entry("json", JSONValue.object(["a": .array([.number(1), .number(0.5), .null, .bool(true), .string("x/y")]),
                                            "b": .object(["nested": .number(-1e-7)]), "": .string("empty key")])),
        ]
    }
}

/// Checks one value against Foundation: same bytes, and both decoders read it back equal.
struct Parity {
    func check<P: MessagePayload & Equatable>(_ envelope: Envelope<P>) throws {
        let wire = try FoundationParity.wireBytes(envelope)
        let foundation = try FoundationParity.foundationBytes(envelope)
        guard wire == foundation else { throw ParityFailure(detail: "bytes differ:\nwire:       \(wire)\nfoundation: \(foundation)") }
        let decoded = try WireJSONDecoder().decode(Envelope<P>.self, from: Data(wire.utf8))
        let reference = try JSONDecoder().decode(Envelope<P>.self, from: Data(wire.utf8))
        guard decoded.payload == reference.payload, decoded.payload == envelope.payload, decoded.parentId == envelope.parentId,
              decoded.ts == envelope.ts, decoded.traceId == envelope.traceId else {
            throw ParityFailure(detail: "round trip differs for \(wire)")
        }
    }
}

struct ParityFailure: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}
