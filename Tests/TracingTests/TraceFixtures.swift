import Foundation
@testable import Tracing
import WireFormat
import WireProtocol

/// Builds records the way agents publish them, for one hand-made cycle.
struct CycleFixture {
    let traceId = "0af7651916cd43dd8448eb211c80319c"
    var records: [TraceRecord] = []

    mutating func event(_ id: String, _ type: String, source: String, parent: String?, at ts: Int64, _ payload: [String: JSONValue]) {
        records.append(Envelope(id: id, type: type, traceId: traceId, parentId: parent, source: source, ts: ts, payload: .object(payload)))
    }

    /// Both sides' trace events of one req/rep hop.
    mutating func hop(_ requestId: String, _ type: String, caller: String, callee: String, causedBy parent: String,
                      start: Int64, end: Int64, handler: (Int64, Int64), outcome: String = "ok") {
        let common: [String: JSONValue] = ["request_type": .string(type), "request_id": .string(requestId),
                                           "request_parent_id": .string(parent), "outcome": .string(outcome), "attempts": .number(1)]
        var client = common
        client["role"] = .string("client"); client["peer"] = .string(callee)
        client["start_us"] = .number(Double(start)); client["end_us"] = .number(Double(end))
        var server = common
        server["role"] = .string("server"); server["peer"] = .string(caller)
        server["start_us"] = .number(Double(handler.0)); server["end_us"] = .number(Double(handler.1))
        event("\(requestId)-c", EventType.trace, source: caller, parent: requestId, at: end, client)
        event("\(requestId)-s", EventType.trace, source: callee, parent: requestId, at: handler.1, server)
    }

    /// signal → analyze (→ analysis) → assess (→ inventory.get, risk) → decision, times in µs.
    static func rejectedAtRisk() -> CycleFixture {
        var f = CycleFixture()
        f.event("sig", EventType.signal, source: "hedgectl", parent: nil, at: 1_000_000,
                ["symbol": .string("BTC-USD"), "side": .string("buy"), "confidence": .number(0.8)])
        f.hop("req-a", "analyze", caller: "trading-director", callee: "quant-analyst", causedBy: "sig",
              start: 1_000_500, end: 1_002_500, handler: (1_001_000, 1_001_800))
        f.event("an", EventType.analysis, source: "quant-analyst", parent: "req-a", at: 1_001_700,
                ["symbol": .string("BTC-USD"), "direction": .string("flat"), "confidence": .number(0), "thesis": .string("quiet")])
        f.hop("req-r", "assess", caller: "trading-director", callee: "risk-manager", causedBy: "sig",
              start: 1_003_000, end: 1_008_000, handler: (1_003_500, 1_007_000))
        f.hop("req-i", "inventory.get", caller: "risk-manager", callee: "market-maker", causedBy: "req-r",
              start: 1_004_000, end: 1_005_000, handler: (1_004_200, 1_004_600))
        f.event("rk", EventType.risk, source: "risk-manager", parent: "req-r", at: 1_006_000,
                ["symbol": .string("BTC-USD"), "side": .string("buy"), "approved": .bool(false), "limit": .string("minConfidence"), "reason": .string("too timid")])
        f.event("dec", EventType.decision, source: "trading-director", parent: "sig", at: 1_009_000,
                ["symbol": .string("BTC-USD"), "side": .string("buy"), "outcome": .string("rejected"), "stage": .string("assess"), "reason": .string("risk: too timid")])
        return f
    }
}
