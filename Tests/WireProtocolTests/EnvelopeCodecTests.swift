import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

@Suite("Envelope codec")
struct EnvelopeCodecTests {
    let codec = JSONEnvelopeCodec()
    let traceId = "4bf92f3577b34da6a3ce929d0e0e4736"

    func envelope(parent: String? = nil) -> Envelope<SignalPayload> {
        Envelope(id: "m-1", type: "signal", traceId: traceId, parentId: parent, source: "hedgectl", ts: 1_700_000_000_000_001,
                 payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.75))
    }

    @Test func encodesSnakeCaseSortedKeysAndExplicitNullParent() throws {
        let text = String(decoding: try codec.encode(envelope()), as: UTF8.self)
        #expect(text == #"{"id":"m-1","parent_id":null,"payload":{"confidence":0.75,"side":"buy","symbol":"BTC-USD"},"source":"hedgectl","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","ts":1700000000000001,"type":"signal","v":1}"#)
    }

    @Test func roundTripsEveryField() throws {
        let original = envelope(parent: "m-0")
        let decoded = try codec.decode(SignalPayload.self, from: try codec.encode(original))
        #expect(decoded.id == original.id)
        #expect(decoded.parentId == "m-0")
        #expect(decoded.traceId == traceId)
        #expect(decoded.ts == original.ts)
        #expect(decoded.payload == original.payload)
    }

    @Test func ignoresUnknownFieldsAndAcceptsMissingParent() throws {
        let json = #"{"v":1,"id":"x","type":"signal","trace_id":"\#(traceId)","source":"py","ts":5,"extra":{"a":1},"payload":{"symbol":"ETH-USD","side":"sell","confidence":1,"future_field":true}}"#
        let decoded = try codec.decode(SignalPayload.self, from: Data(json.utf8))
        #expect(decoded.parentId == nil)
        #expect(decoded.payload.side == .sell)
    }

    @Test(arguments: [
        ("not json at all", ProtocolError.Code.malformedJSON, "not valid JSON"),
        (#"[1,2]"#, .wrongType, ""),
        (#"{"v":1,"id":"x","type":"signal","source":"s","ts":1,"payload":{}}"#, .missingField, "'trace_id'"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"T","source":"s","ts":"now","payload":{}}"#, .wrongType, "'ts'"),
        (#"{"v":2,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":{"symbol":"A","side":"buy","confidence":0.5}}"#, .unsupportedVersion, "version 2"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4BF92F3577B34DA6A3CE929D0E0E4736","source":"s","ts":1,"payload":{"symbol":"A","side":"buy","confidence":0.5}}"#, .invalidValue, "trace_id"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":{"symbol":"A","side":"buy","confidence":1.5}}"#, .invalidValue, "payload.confidence"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":{"symbol":"A","side":"hold","confidence":0.5}}"#, .invalidValue, "payload.side"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":{"symbol":"A","side":"buy","confidence":"high"}}"#, .wrongType, "payload.confidence"),
    ])
    func rejectsBadInputWithCodeAndField(json: String, code: ProtocolError.Code, mention: String) {
        #expect {
            _ = try codec.decode(SignalPayload.self, from: Data(json.utf8))
        } throws: { error in
            guard let error = error as? ProtocolError else { return false }
            return error.code == code && (mention.isEmpty || error.message.contains(mention))
        }
    }

    @Test func headerDecodeRequiresPayloadObject() {
        let json = #"{"v":1,"id":"x","type":"ping","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":7}"#
        #expect(throws: ProtocolError.self) { try codec.decodeHeader(from: Data(json.utf8)) }
    }

    @Test func emptyIdAndSourceAreRejected() {
        var bad = envelope()
        bad.id = ""
        #expect(throws: ProtocolError.self) { try bad.validate() }
        bad = envelope()
        bad.source = ""
        #expect(throws: ProtocolError.self) { try bad.validate() }
    }
}
