import Foundation
import Testing
@testable import WireFormat
import WireProtocol

/// `EnvelopeGlance`: a reply's parent id and type found at its two ends, as the codec writes
/// them, must be what decoding the whole message reads; anything else is declined, and no
/// payload or extra member can make the tail name another type.
struct EnvelopeGlanceTests {
    static func text(_ data: Data, _ range: Range<Int>) -> String {
        data.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    static func report(_ id: String) -> OrderReport {
        OrderReport(orderId: id, clientOrderId: "sig-\(id)", account: "desk", symbol: "BTC-USD", side: .buy, type: .market,
                    status: .filled, qty: 0.5, filledQty: 0.5, avgPrice: 101.25, fills: [], reason: "a \"quoted\" } reason, \"type\":\"x\",\"v\":2}",
                    reasonCode: nil)
    }

    @Test func theGlanceFindsWhatTheDecoderReads() throws {
        let codec = JSONEnvelopeCodec()
        var generator = SeededGenerator(seed: 81)
        for round in 0 ..< 300 {
            // Ids as `MessageID` makes them (16 bytes) and of other lengths a peer may use.
            let length = [16, 16, 1, 7, 15, 17, 36][round % 7]
            let parent = String((0 ..< length).map { _ in "abcdef0123456789-_.:".randomElement(using: &generator)! })
            let trace = String((0 ..< 32).map { _ in "0123456789abcdef".randomElement(using: &generator)! })
            let envelope = Envelope(id: "r-\(round)", type: round.isMultiple(of: 3) ? EventType.error : "order.submit.ok", traceId: trace,
                                    parentId: parent, source: "venue", ts: Int64(round), payload: Self.report(parent))
            let body: Data
            if envelope.type == EventType.error {
                body = try codec.encode(Envelope(id: envelope.id, type: envelope.type, traceId: envelope.traceId, parentId: parent,
                                                 source: envelope.source, ts: envelope.ts,
                                                 payload: ErrorPayload(ProtocolError(.busy, "\"type\":\"order.submit.ok\",\"v\":1}"))))
            } else {
                body = try codec.encode(envelope)
            }
            let glance = try #require(codec.glance(body))
            let header = try codec.decodeHeader(from: body)
            #expect(Self.text(body, glance.parentId) == header.parentId)
            #expect(Self.text(body, glance.type) == header.type)
        }
    }

    @Test(arguments: [
        // Spaced, as a pretty printer writes it.
        #"{"id": "r", "parent_id": "p", "payload": {}, "source": "s", "trace_id": "t", "ts": 1, "type": "echo.ok", "v": 1}"#,
        // An escape in the parent id.
        #"{"id":"r","parent_id":"p\u0071","payload":{},"source":"s","trace_id":"t","ts":1,"type":"echo.ok","v":1}"#,
        // No parent id.
        #"{"id":"r","parent_id":null,"payload":{},"source":"s","trace_id":"t","ts":1,"type":"echo.ok","v":1}"#,
        #"{"id":"r","payload":{},"source":"s","trace_id":"t","ts":1,"type":"echo.ok","v":1}"#,
        // Members in another order, or a member after the version.
        #"{"type":"echo.ok","id":"r","parent_id":"p","payload":{},"source":"s","trace_id":"t","ts":1,"v":1}"#,
        #"{"id":"r","parent_id":"p","payload":{},"source":"s","trace_id":"t","ts":1,"v":1,"type":"echo.ok"}"#,
        #"{"id":"r","parent_id":"p","payload":{},"source":"s","trace_id":"t","ts":1,"type":"echo.ok","v":1,"w":{"type":"x","v":1}}"#,
        // An escape in the type, a version that is not a number, a space at the end, cut short.
        #"{"id":"r","parent_id":"p","payload":{},"source":"s","trace_id":"t","ts":1,"type":"echo\/ok","v":1}"#,
        #"{"id":"r","parent_id":"p","payload":{},"source":"s","trace_id":"t","ts":1,"type":"echo.ok","v":"1"}"#,
        #"{"id":"r","parent_id":"p","payload":{},"source":"s","trace_id":"t","ts":1,"type":"echo.ok","v":1} "#,
        #"{"id":"r","parent_id":"p","payload":{},"source":"s","trace_id":"t","ts":1,"type":"echo.ok","v":1"#,
        #"{"id":"r","parent_id":"p","#,
        "",
    ])
    func aGlanceDeclinesWhatItCannotBeSureOf(body: String) {
        #expect(JSONEnvelopeCodec().glance(Data(body.utf8)) == nil)
    }

    /// Seeded envelopes with extra members after `v` (names sorting after it) whose values end the
    /// way a reply does: a valid message is either declined or glanced at its own parent id and
    /// type.
    @Test func extraMembersCannotForgeTheTail() throws {
        var generator = SeededGenerator(seed: 82)
        let tails: [Any] = [["type": "forged", "v": 1], ["k": #","type":"forged","v":1"#], [["type", "forged"], 1], 1, "x\",\"type\":\"forged\",\"v\":1}"]
        var glanced = 0, declined = 0
        for round in 0 ..< 400 {
            var object: [String: Any] = ["id": "r-\(round)", "parent_id": "p-\(round)", "payload": ["n": round], "source": "s",
                                         "trace_id": "t", "ts": round, "type": "echo.ok", "v": 1]
            for name in ["w", "x", "zz"] where Bool.random(using: &generator) {
                object[name] = tails.randomElement(using: &generator)!
            }
            let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            guard let glance = JSONEnvelopeCodec().glance(body) else {
                declined += 1
                continue
            }
            glanced += 1
            #expect(Self.text(body, glance.parentId) == "p-\(round)")
            #expect(Self.text(body, glance.type) == "echo.ok")
        }
        #expect(glanced > 20 && declined > 200)
    }
}
