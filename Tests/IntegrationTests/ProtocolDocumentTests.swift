import Foundation
import HedgeBusTesting
import Testing
import Trading
import WireFormat
import WireProtocol

/// docs/asyncapi.yaml against envelopes the codec writes, without a running topology.
@Suite("Protocol document", .serialized, .timeLimit(.minutes(2)))
struct ProtocolDocumentTests {
    private static func encode<P: MessagePayload>(_ type: String, _ payload: P, parent: String? = nil) throws -> Data {
        try JSONEnvelopeCodec().encode(Envelope.make(type: type, source: "test", trace: TraceContext(traceId: TraceID.make(), parentId: parent),
                                                     payload: payload))
    }

    /// Payloads with every optional member set, which a short run may never produce.
    private static func fullyPopulated() throws -> [Data] {
        let analysis = AnalysisReport(symbol: "BTC-USD", direction: .long, confidence: 0.7, technicalScore: 0.4, trendStrength: 0.5,
                                      sampleCount: 40, fastEma: 60010, slowEma: 59990, rsi: 61, atr: 12.5, momentumZ: 1.1,
                                      volatility: 0.0004, keyLevels: KeyLevelsPayload(support: 59900, resistance: 60100),
                                      lastPrice: 60005, thesis: "fast EMA above slow")
        let fill = FillPayload(orderId: "O-1", clientOrderId: "c-1", account: "desk", symbol: "BTC-USD", side: .buy,
                               price: 60005, qty: 0.01, fee: 0.6)
        let rejected = RiskVerdict(symbol: "BTC-USD", side: .buy, approved: false, qty: 0, price: 60005, notional: 0,
                                   reason: "heat 12 % above 10 %", limit: PlanLimit.maxPortfolioHeatPct.rawValue, observed: 0.12, allowed: 0.1)
        let exit = ExitPayload(openingSignalId: "s-1", openingTraceId: TraceID.make(), symbol: "BTC-USD", reason: "take_profit",
                               side: .sell, qty: 0.005, triggerPrice: 60100, observedPrice: 60101, targetIndex: 0, remainingAfter: 0.005)
        var position = PositionPayload(account: "desk", symbol: "BTC-USD", base: 0.01, quote: 49399, avgEntryPrice: 60005,
                                       realizedPnl: 0, unrealizedPnl: 1, fees: 0.6, mark: 60006)
        position.pendingBuy = 0.02
        position.pendingSell = 0
        position.effectiveInventory = 0.03
        position.maxInventory = 1
        position.overLimit = false
        position.hedgeSuggestion = "sell 0.01: above target"
        return [
            try encode(EventType.signal, SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.8, note: "n", ttlMs: 5_000)),
            try encode(EventType.decision, DecisionPayload(signalId: "s-1", symbol: "BTC-USD", side: .buy, outcome: .rejected,
                                                           reason: "risk", stage: "assess", orderId: "O-1", filledQty: 0, avgPrice: 60005,
                                                           analysis: analysis, risk: rejected, fills: [fill], exit: exit,
                                                           latencyUs: 1_200, queuedUs: 10), parent: "s-1"),
            try encode(EventType.exit, exit, parent: "s-1"),
            try encode(EventType.order, OrderReport(orderId: "O-2", clientOrderId: "c-2", account: "desk", symbol: "BTC-USD", side: .buy,
                                                    type: .limit, status: .rejected, qty: 1, filledQty: 0, avgPrice: nil, fills: [],
                                                    reason: "needs more quote", reasonCode: "insufficient_quote")),
            try encode(EventType.inventory, InventorySnapshot(positions: [position])),
            try encode(EventType.heartbeat, HeartbeatPayload(agent: "market-maker", pid: 42, seq: 3, uptimeMs: 900, endpoint: "tcp://127.0.0.1:1",
                                                             handled: 7, errors: 1, notes: ["hedge failed"])),
            try encode(EventType.trace, TraceEventPayload(role: "client", requestType: "analyze", requestId: "r-1", requestParentId: "s-1",
                                                          replyId: nil, peer: "quant-analyst", startUs: 1, endUs: 2, outcome: "timeout",
                                                          attempts: 3, detail: "no answer")),
            try encode(EventType.quote, QuoteEventPayload(symbol: "ETH-USD", account: "hedge", bids: [QuoteLevelPayload(price: 2999, qty: 0.05)],
                                                          asks: [], placed: 1, cancelled: 0, rejected: ["no quote"], flatten: "sell 0.1: stop",
                                                          problem: "no mid", stopped: true)),
            try encode(EventType.hedge, HedgeEventPayload(from: "desk", to: "hedge", fillOrderId: "O-1", fillSide: .buy, qty: 0.01,
                                                          status: "rejected", hedgeOrderId: "O-3", attempts: 2, reason: "insufficient base")),
            try encode(OrderSubmit.requestType, OrderSubmit(clientOrderId: "c-4", account: "desk", symbol: "BTC-USD", side: .sell,
                                                            type: .limit, qty: 0.1, price: 61000)),
            try encode(OrderReplace.requestType, OrderReplace(account: "desk", orderId: "O-4", price: 61500)),
            try encode(InventoryQuery.requestType, InventoryQuery(symbol: "BTC-USD", account: "desk")),
            try encode(OpenPositionsQuery.requestType, OpenPositionsQuery(symbol: "BTC-USD")),
            try encode(OpenPositionsQuery.replyType, OpenPositionsReport(positions: [
                WatchedPositionPayload(openingSignalId: "s-1", openingTraceId: TraceID.make(), account: "desk", symbol: "BTC-USD", side: .sell,
                                       remainingQty: 0.01, entryPrice: 60000, stopPrice: 60300,
                                       targets: [WatchedTargetPayload(price: 59400, qty: 0.005, hit: true)], openedAtUs: 1, timeStopAtUs: 2),
            ])),
            try encode(EventType.error, ErrorPayload(ProtocolError(.busy, "too many requests"))),
        ]
    }

    @Test func theDocumentHasAMessageForEveryTypeAndAcceptsWhatTheCodecWrites() async throws {
        let processes = ProcessGroup()
        do {
            let file = try SchemaValidation.write(try Self.fullyPopulated(), named: "codec.jsonl", in: processes.logDirectory)
            let summary = try await SchemaValidation.run([file], expectTypes: SchemaValidation.codeTypes, in: processes)
            #expect(summary.exitStatus == 0 && summary.ok, "\(summary.output)")
            #expect(summary.messages == 15)
            await processes.stop()
        } catch {
            await processes.stop()
            throw error
        }
    }

    /// Every error code the code declares is in the document's enums, so a new one cannot
    /// travel undocumented: `ProtocolError` codes in `ErrorCode`, and the venue's `TradingError`
    /// codes in `RejectionCode` (an order report's `reason_code`), except those only loading a
    /// configuration or data file can raise.
    @Test func theDocumentListsEveryErrorCodeTheCodeDeclares() async throws {
        let protocolCodes = try SchemaValidation.declaredCodes(under: "Sources/WireFormat")
        let configurationOnly: Set = ["invalid_config", "invalid_replay_data", "invalid_fee"]
        let venueCodes = try SchemaValidation.declaredCodes(under: "Sources/Trading").subtracting(configurationOnly)
        #expect(protocolCodes.contains("malformed_json") && venueCodes.contains("insufficient_quote"), "the source scan found \(protocolCodes), \(venueCodes)")
        let processes = ProcessGroup()
        do {
            let file = try SchemaValidation.write([try Self.encode(EventType.error, ErrorPayload(ProtocolError(.busy, "busy")))],
                                                  named: "codes.jsonl", in: processes.logDirectory)
            let summary = try await SchemaValidation.run([file], expectEnums: ["ErrorCode": protocolCodes.sorted(), "RejectionCode": venueCodes.sorted()],
                                                         in: processes)
            #expect(summary.exitStatus == 0 && summary.ok, "\(summary.errors)")
            // And the check itself can fail.
            let missing = try await SchemaValidation.run([file], expectEnums: ["RejectionCode": ["no_such_rejection"]], in: processes)
            #expect(missing.exitStatus == 1 && missing.errors.contains { $0.contains("no_such_rejection") })
            await processes.stop()
        } catch {
            await processes.stop()
            throw error
        }
    }

    /// A message whose shape drifts from the document fails validation, naming the member.
    @Test func aMessageThatDriftsFromTheDocumentIsRejected() async throws {
        let fill = FillPayload(orderId: "O-1", clientOrderId: "c-1", account: "desk", symbol: "BTC-USD", side: .buy, price: 60005, qty: 0.01, fee: 0.6)
        let original = try Self.encode(EventType.fill, fill)
        let object = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
        func mutated(_ change: (inout [String: Any], inout [String: Any]) -> Void) throws -> Data {
            var envelope = object
            var payload = envelope["payload"] as? [String: Any] ?? [:]
            change(&envelope, &payload)
            envelope["payload"] = payload
            return try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])
        }
        // Line 1 is the message as written; each further line breaks it in one way, and the
        // validator must report that line and the member.
        let drifts: [(line: Int, member: String, data: Data)] = [
            (2, "payload", try mutated { _, payload in payload["quantity"] = payload.removeValue(forKey: "qty") }),
            (3, "payload.side", try mutated { _, payload in payload["side"] = "hold" }),
            (4, "payload", try mutated { _, payload in payload["venue"] = "elsewhere" }),
            (5, "ts", try mutated { envelope, _ in envelope["ts"] = "now" }),
            (6, "(envelope)", try mutated { envelope, _ in envelope.removeValue(forKey: "trace_id") }),
            (7, "payload.price", try mutated { _, payload in payload["price"] = -1 }),
        ]
        let processes = ProcessGroup()
        do {
            let file = try SchemaValidation.write([original] + drifts.map(\.data), named: "drift.jsonl", in: processes.logDirectory)
            let summary = try await SchemaValidation.run([file], in: processes)
            #expect(summary.exitStatus == 1 && !summary.ok)
            #expect(!summary.errors.contains { $0.hasPrefix("\(file):1 ") }, "the message as written must pass: \(summary.errors)")
            for drift in drifts {
                #expect(summary.errors.contains { $0.hasPrefix("\(file):\(drift.line) (fill): ") && $0.contains("\(drift.member): ") },
                        "line \(drift.line) should fail at \(drift.member): \(summary.errors)")
            }
            await processes.stop()
        } catch {
            await processes.stop()
            throw error
        }
    }
}
