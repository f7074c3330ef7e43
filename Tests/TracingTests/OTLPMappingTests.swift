import Foundation
import Testing
@testable import Tracing
import WireFormat
import WireProtocol

@Suite("OTLP mapping")
struct OTLPMappingTests {
    private func spans(_ fixture: CycleFixture) -> [OTLPSpan] { fixture.records.compactMap(OTLPMapping.span(of:)) }

    private func find(_ spans: [OTLPSpan], _ name: String, _ kind: OTLPSpan.Kind) throws -> OTLPSpan {
        try #require(spans.first { $0.name == name && $0.kind == kind })
    }

    @Test func hopsAreClientAndServerSpansNestedAsInTheTree() throws {
        let all = spans(.rejectedAtRisk())
        #expect(all.count == 10)
        let signal = try find(all, EventType.signal, .producer)
        #expect(signal.parentSpanId == nil && signal.service == "hedgectl")
        let assessClient = try find(all, "assess", .client), assessServer = try find(all, "assess", .server)
        #expect(assessClient.service == "trading-director" && assessServer.service == "risk-manager")
        #expect(assessClient.parentSpanId == signal.spanId)
        #expect(assessServer.parentSpanId == assessClient.spanId)
        #expect(assessServer.spanId == OTLPMapping.spanId("req-r"))
        // What the assess request caused nests under the handler that did it.
        #expect(try find(all, "inventory.get", .client).parentSpanId == assessServer.spanId)
        #expect(try find(all, EventType.risk, .producer).parentSpanId == assessServer.spanId)
        #expect(try find(all, EventType.decision, .producer).parentSpanId == signal.spanId)
        #expect(assessClient.startTimeUnixNano == "1003000000" && assessClient.endTimeUnixNano == "1008000000")
        #expect(assessServer.startTimeUnixNano == "1003500000" && assessServer.endTimeUnixNano == "1007000000")
        // Ids that are not 16 hex digits (the fixture's) are hashed to valid, distinct span ids.
        let ids = all.map(\.spanId)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() })
        #expect(Set(all.map(\.traceId)) == [CycleFixture().traceId])
    }

    @Test func hexMessageIdsAreTheSpanIds() {
        #expect(OTLPMapping.spanId("00f067aa0ba902b7") == "00f067aa0ba902b7")
        #expect(OTLPMapping.spanId("0000000000000000") != "0000000000000000")
        #expect(OTLPMapping.clientSpanId("00f067aa0ba902b7") != "00f067aa0ba902b7")
        // The agents' ids of 15 digits: the same number as a span id.
        #expect(OTLPMapping.spanId("f067aa0ba902b7c") == "0f067aa0ba902b7c")
        let id = MessageID.make()
        #expect(OTLPMapping.spanId(id) == "0" + id)
        #expect(OTLPMapping.spanId("000000000000000") != "0000000000000000")
        #expect(OTLPMapping.spanId("000000000000000").count == 16)
        // Not hex, or in capitals: hashed.
        #expect(OTLPMapping.spanId("F067AA0BA902B7C") != "0F067AA0BA902B7C")
        #expect(OTLPMapping.spanId("g067aa0ba902b7c") != "0g067aa0ba902b7c")
    }

    @Test func failedHopsAreErrorsAndExitsLinkToTheirOpeningSignal() throws {
        var fixture = CycleFixture()
        fixture.hop("req-x", "execute", caller: "trading-director", callee: "execution-agent", causedBy: "ex",
                    start: 10, end: 20, handler: (12, 18), outcome: "timeout")
        let opening = "4bf92f3577b34da6a3ce929d0e0e4736"
        fixture.event("ex", EventType.exit, source: "trading-director", parent: "a1b2c3d4e5f60718", at: 5,
                      ["symbol": .string("BTC-USD"), "opening_trace_id": .string(opening), "qty": .number(0.25)])
        let all = spans(fixture)
        let client = try find(all, "execute", .client)
        #expect(client.status == .error("timeout"))
        let exit = try find(all, EventType.exit, .producer)
        #expect(exit.parentSpanId == nil)
        #expect(exit.links?.map(\.traceId) == [opening] && exit.links?.map(\.spanId) == ["a1b2c3d4e5f60718"])
        #expect(exit.attributes.contains(OTLPKeyValue("hedgebus.payload.qty", .double(0.25))))
        #expect(exit.attributes.contains(OTLPKeyValue("messaging.destination.name", .string("exit.BTC-USD"))))
    }

    @Test func heartbeatsAndTicksAreLeftOut() {
        let beat = Envelope(id: "hb", type: EventType.heartbeat, traceId: CycleFixture().traceId, parentId: nil, source: "bus", ts: 1, payload: JSONValue.object([:]))
        let tick = Envelope(id: "tk", type: EventType.market, traceId: CycleFixture().traceId, parentId: nil, source: "market-maker", ts: 1, payload: JSONValue.object([:]))
        #expect(OTLPMapping.span(of: beat) == nil && OTLPMapping.span(of: tick) == nil)
    }

    @Test func aMessagePublishedAgainUnderItsIdIsOneSpan() {
        let records = CycleFixture.rejectedAtRisk().records
        let signal = records.first { $0.type == EventType.signal }!
        let once = OTLPMapping.request(records).resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }
        let twice = OTLPMapping.request(records + [signal]).resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }
        #expect(twice == once)
        #expect(once.filter { $0.name == EventType.signal }.count == 1)
    }

    @Test func theRequestHasOneResourcePerServiceAndOTLPJSONEncoding() throws {
        let request = OTLPMapping.request(CycleFixture.rejectedAtRisk().records)
        let services = request.resourceSpans.map { $0.resource.attributes.first { $0.key == "service.name" }?.value }
        #expect(services == ["hedgectl", "market-maker", "quant-analyst", "risk-manager", "trading-director"].map(OTLPAnyValue.string))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(request), as: UTF8.self)
        #expect(json.contains(#""kind":3"#) && json.contains(#""kind":2"#) && json.contains(#""kind":4"#))
        #expect(json.contains(#"{"intValue":"1"}"#))
        #expect(json.contains(#""startTimeUnixNano":"1000000000""#))
        #expect(try JSONDecoder().decode(OTLPTraceRequest.self, from: Data(json.utf8)).resourceSpans.count == 5)
    }
}
