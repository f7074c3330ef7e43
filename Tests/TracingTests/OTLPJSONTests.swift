import Foundation
import Testing
@testable import Tracing
@testable import WireFormat
import WireProtocol

/// The span push's request (`OTLPBatch`: spans mapped from the published envelopes, OTLP/JSON
/// written by `OTLPTraceRequest.json()`) against what the push sent before: each envelope
/// encoded and read back by the `Codable` paths, mapped as a record and encoded by Foundation.
@Suite("OTLP request JSON")
struct OTLPJSONTests {
    let traceId = CycleFixture().traceId

    /// The envelopes of a cycle as agents publish them, typed: both sides of an ok hop, a hop
    /// that timed out (an error span, its detail naming an endpoint), a failed decision; each
    /// queued, and with the span the push made of it before.
    private func typedEnvelopes() throws -> [(pending: PendingSpan, before: OTLPSpan?)] {
        func hop(_ role: String, _ requestId: String, source: String, peer: String, requestParentId: String?, replyId: String?,
                 outcome: String, attempts: Int, detail: String?) throws -> (PendingSpan, OTLPSpan?) {
            let payload = TraceEventPayload(role: role, requestType: "assess", requestId: requestId, requestParentId: requestParentId,
                                            replyId: replyId, peer: peer, startUs: 1_733_000_000_000_100, endUs: 1_733_000_000_000_900,
                                            outcome: outcome, attempts: attempts, detail: detail)
            return try queued(Envelope(id: "m-\(role)-\(outcome)", type: EventType.trace, traceId: traceId, parentId: requestId,
                                       source: source, ts: 1_733_000_000_001_000, payload: payload))
        }
        let decision = DecisionPayload(signalId: "a1b2c3d4e5f60718", symbol: "BTC-USD", side: .buy, outcome: .failed,
                                       reason: "analyze: timeout", stage: "analyze", latencyUs: 1_450, queuedUs: 12)
        return [try hop("client", "00f067aa0ba902b7", source: "trading-director", peer: "risk-manager", requestParentId: "a1b2c3d4e5f60718", replyId: "r-1",
                    outcome: "ok", attempts: 1, detail: nil),
                try hop("server", "00f067aa0ba902b7", source: "risk-manager", peer: "trading-director", requestParentId: "a1b2c3d4e5f60718", replyId: "r-1",
                    outcome: "ok", attempts: 1, detail: nil),
                try hop("client", "req-timeout", source: "trading-director", peer: "tcp://127.0.0.1:5557", requestParentId: nil, replyId: nil,
                    outcome: "timeout", attempts: 3, detail: "no reply from tcp://127.0.0.1:5557/ after 3 attempts"),
                try queued(Envelope(id: "dec", type: EventType.decision, traceId: traceId, parentId: "a1b2c3d4e5f60718",
                                    source: "trading-director", ts: 1_733_000_000_002_000, payload: decision))]
    }

    /// Records of plain JSON: a whole cycle, an exit linking to its opening signal, a payload
    /// with every kind of value, a heartbeat (no span).
    private func records() -> [TraceRecord] {
        var fixture = CycleFixture.rejectedAtRisk()
        fixture.event("ex", EventType.exit, source: "trading-director", parent: "a1b2c3d4e5f60718", at: 5,
                      ["symbol": .string("BTC-USD"), "opening_trace_id": .string("4bf92f3577b34da6a3ce929d0e0e4736"), "qty": .number(0.25)])
        fixture.event("all", "order", source: "execution-agent", parent: "sig", at: 7,
                      ["none": .null, "yes": .bool(true), "count": .number(3), "price": .number(60_012.5), "big": .number(1e20),
                       "text": .string("a/b \"q\" \\ \u{1} é😀"), "list": .array([.number(1), .string("x"), .null, .array([])]),
                       "nested": .object(["b": .number(-0.5), "a": .object([:])])])
        fixture.event("hb", EventType.heartbeat, source: "bus", parent: nil, at: 8, [:])
        return fixture.records
    }

    /// `envelope` queued, and the span the push made of it before.
    private func queued<P: MessagePayload>(_ envelope: Envelope<P>) throws -> (PendingSpan, OTLPSpan?) {
        (PendingSpan(envelope), try spanBefore(envelope))
    }

    /// The span the push made before: `JSONEnvelopeCodec().encode`, `TraceRecord.decode` (both
    /// by `Codable`) and the mapping of the record.
    private func spanBefore<P: MessagePayload>(_ envelope: Envelope<P>) throws -> OTLPSpan? {
        let codec = JSONEnvelopeCodec()
        let record = try codec.decodeWithCodable(JSONValue.self, from: try codec.encodeWithCodable(envelope))
        try record.validate()
        return OTLPMapping.span(of: record)
    }

    @Test func theRequestIsTheDocumentTheEncoderWroteBefore() throws {
        let typed = try typedEnvelopes(), plain = records()
        let before = try typed.compactMap(\.before) + plain.compactMap { try spanBefore($0) }
        let spans = OTLPBatch.spans(of: typed.map(\.pending) + plain.map(PendingSpan.init))
        #expect(spans == before)
        let request = OTLPMapping.request(before)
        let body = try OTLPBatch.body(of: spans)

        // A span's service is not encoded (it picks the span's resource).
        let decoded = try JSONDecoder().decode(OTLPTraceRequest.self, from: body)
        var unnamed = request
        for resource in unnamed.resourceSpans.indices {
            for scope in unnamed.resourceSpans[resource].scopeSpans.indices {
                for span in unnamed.resourceSpans[resource].scopeSpans[scope].spans.indices {
                    unnamed.resourceSpans[resource].scopeSpans[scope].spans[span].service = ""
                }
            }
        }
        #expect(decoded == unnamed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(String(decoding: body, as: UTF8.self) == String(decoding: try encoder.encode(request), as: UTF8.self))
        // Every kind of span, status and attribute value is in the request.
        let all = decoded.resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }
        #expect(Set(all.map(\.kind)) == [.server, .client, .producer])
        #expect(all.contains { $0.links?.first?.traceId == "4bf92f3577b34da6a3ce929d0e0e4736" })
        #expect(all.contains { $0.status == .error("no reply from tcp://127.0.0.1:5557/ after 3 attempts") })
        #expect(all.contains { $0.status == .error("analyze: timeout") })
        let values = all.flatMap(\.attributes).map(\.value)
        #expect(values.contains(.empty) && values.contains(.bool(true)) && values.contains(.int(3)) && values.contains(.double(60_012.5)))
        #expect(values.contains { if case .array = $0 { true } else { false } })
        #expect(values.contains { if case .keyValues = $0 { true } else { false } })
        #expect(!all.contains { $0.name == EventType.heartbeat })
    }

    @Test func aPublishedHopMapsAsItsRecordDoes() throws {
        let payload = TraceEventPayload(role: "server", requestType: "execute", requestId: "req-e", requestParentId: nil, replyId: nil,
                                        peer: "trading-director", startUs: 10, endUs: 5, outcome: "error", attempts: 1, detail: nil)
        let envelope = Envelope(id: "m", type: EventType.trace, traceId: traceId, parentId: "req-e", source: "execution-agent", ts: 20,
                                payload: payload)
        let span = try #require(OTLPMapping.span(published: envelope))
        #expect(span == (try spanBefore(envelope)))
        #expect(span.kind == .server && span.status == .error("error") && span.endTimeUnixNano == span.startTimeUnixNano)
        // An envelope the decode would have refused has no span, as before.
        var invalid = envelope
        invalid.source = ""
        #expect(OTLPMapping.span(published: invalid) == nil)
    }
}
