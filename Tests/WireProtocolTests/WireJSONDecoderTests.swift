import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

@Suite("Wire JSON decoder parity with Foundation")
struct WireJSONDecoderTests {
    struct Numbers: Codable, Equatable {
        var i: Int?
        var l: Int64?
        var d: Double?
        var u: UInt8?
    }

    struct Strict: Codable, Equatable {
        var name: String
        var count: Int
        var flag: Bool
        var side: Side
        var nested: KeyLevelsPayload
        var list: [Double]
    }

    static let strictInputs: [String] = [
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[1,2.5]}"#,
        #" { "list" : [ ] , "nested" : { "resistance" : 2e0 , "support" : -0.0 } , "side" : "sell" , "flag" : false , "count" : 1E2 , "name" : "\u00e9\ud83d\ude00\/\n" } "#,
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[1],"extra":{"x":[1,{"y":null}]}}"#,
        #"{"name":"first","name":"second","count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"na\u006de":"escaped key","count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"name":null,"count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"name":5,"count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"name":"a","count":"1","flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"name":"a","count":1.5,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"name":"a","count":1,"flag":1,"side":"buy","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"name":"a","count":1,"flag":true,"side":"hold","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"name":"a","count":1,"flag":true,"side":null,"nested":{"support":1,"resistance":2},"list":[]}"#,
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":[],"list":[]}"#,
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":null,"list":[]}"#,
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":{"support":1},"list":[]}"#,
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":{"support":"1","resistance":2},"list":[]}"#,
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":{}}"#,
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[1,null]}"#,
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[1,"2"]}"#,
        #"{"name":"a","count":1,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[1e400]}"#,
        #"{"name":"a","count":99999999999999999999,"flag":true,"side":"buy","nested":{"support":1,"resistance":2},"list":[]}"#,
        #"[]"#, #"null"#, #""text""#, #"7"#,
    ]

    @Test(arguments: strictInputs)
    func decodesOrFailsExactlyAsFoundation(json: String) {
        let wire = FoundationParity.outcome(Strict.self, json, wire: true)
        #expect(wire == FoundationParity.outcome(Strict.self, json, wire: false))
    }

    static let numberInputs: [String] = [
        "1", "-1", "0", "-0", "1.0", "-0.0", "1e3", "1E+2", "100e-2", "1.5e1", "0.1e1", "1.5", "0.5", "1e-400", "1e400",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "99999999999999999999",
        "12345678901234567890e-10", "1.0000000000000000001", "255", "256", "-1", "1e2", "0e500", "0.0e-999", "2.4703282292062327e-324",
        "4.9406564584124654e-324", "1e-310", "1.7976931348623157e308", "1.8e308", "0.30000000000000004", "60012.5", "1e-8",
    ]

    @Test(arguments: numberInputs)
    func numbersConvertExactlyAsFoundation(number: String) {
        for field in ["i", "l", "d", "u"] {
            let json = #"{"\#(field)":\#(number)}"#
            let wire = FoundationParity.outcome(Numbers.self, json, wire: true)
            let foundation = FoundationParity.outcome(Numbers.self, json, wire: false)
            #expect(wire == foundation, "\(json)")
        }
    }

    /// Foundation's Double reading rejects `0e5` (a valid JSON zero) while accepting `0e500`;
    /// the wire decoder reads every zero.
    @Test func zeroWithSmallExponentIsZero() throws {
        #expect(try WireJSONDecoder().decode([Double].self, from: Data("[0e5,-0E1,0.0e2]".utf8)).map(\.bitPattern) == [0, (-0.0).bitPattern, 0])
    }

    @Test func randomNumberTextParsesToFoundationsDoubles() throws {
        var generator = SeededGenerator(seed: 99)
        var texts: [String] = []
        for _ in 0 ..< 4000 {
            let value = Double(bitPattern: generator.next())
            if value.isFinite { texts.append("\(value)".replacingOccurrences(of: "e+", with: "e")) }
            let digits = String((0 ..< Int.random(in: 1 ... 25, using: &generator)).map { _ in Character(String(Int.random(in: 0 ... 9, using: &generator))) })
            let integral = digits.drop(while: { $0 == "0" })
            let fraction = String((0 ..< Int.random(in: 0 ... 20, using: &generator)).map { _ in Character(String(Int.random(in: 0 ... 9, using: &generator))) })
            var text = (integral.isEmpty ? "0" : String(integral)) + (fraction.isEmpty ? "" : "." + fraction)
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -330 ... 310, using: &generator))" }
            texts.append(Bool.random(using: &generator) ? "-" + text : text)
        }
        let json = "[" + texts.joined(separator: ",") + "]"
        let wire = FoundationParity.outcome([Double].self, json, wire: true)
        #expect(wire == FoundationParity.outcome([Double].self, json, wire: false))
        for text in texts {
            let one = "[\(text)]"
            let wireValue = FoundationParity.outcome([Double].self, one, wire: true)
            let foundationValue = FoundationParity.outcome([Double].self, one, wire: false)
            if wireValue != foundationValue { Issue.record("\(text): wire \(wireValue), foundation \(foundationValue)") }
            if case .value(let values) = wireValue, case .value(let reference) = foundationValue,
               values.first?.bitPattern != reference.first?.bitPattern {
                Issue.record("\(text): sign of zero differs")
            }
        }
    }

    static let malformed: [String] = [
        "", " ", "{", "}", "[", "]", "[1,]", "[,1]", "{,}", #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":}"#, #"{a:1}"#, "{1:1}", "[1 2]",
        "[1]x", "[1]\u{0}", "tru", "nul", "falsey", "[01]", "[-]", "[1.]", "[.5]", "[+1]", "[1e]", "[1e+]", "[-a]", "[NaN]", "[Infinity]",
        #"["\x"]"#, #"["\u00zz"]"#, #"["\ud83d"]"#, #"["\ude00"]"#, #"["\ud83d\u0041"]"#, "[\"a\u{1}b\"]", "[\"tab\there\"]", #"["unterminated]"#,
        "[\"\\", #"{"a":"b"#, "[1,[2,[3]]", "'single'", "[true false]", "{\"a\":1}}", "\u{FEFF}",
    ]

    @Test(arguments: malformed)
    func malformedInputIsDataCorruptedWithEmptyPath(json: String) {
        let wire = FoundationParity.outcome(JSONValue.self, json, wire: true)
        #expect(wire == .failure("dataCorrupted at ''"))
        // Foundation tolerates trailing commas, and reads number tokens only when a field asks
        // for them (so `[01]` fails later, as a type mismatch); JSON allows neither.
        let foundation = FoundationParity.outcome(JSONValue.self, json, wire: false)
        if ["[1,]", #"{"a":1,}"#].contains(json) {
            #expect(foundation != wire)
        } else if ["[01]", "[-]", "[1.]", "[1e]", "[1e+]"].contains(json) {
            #expect(foundation == .failure("typeMismatch(String) at '[0]'"))
        } else {
            #expect(foundation == wire)
        }
    }

    /// The word-at-a-time string scanning and escape checks: every special byte at every
    /// position of strings long enough to cross several 8-byte words.
    @Test func specialBytesAtEveryPositionMatchFoundation() throws {
        let specials: [String] = ["\"", "\\", "\n", "\u{1}", "\u{1F}", "é", "😀", "/", " ", "~", "\u{7F}"]
        for special in specials {
            for position in 0 ..< 20 {
                for length in [position + 1, position + 8, 24] {
                    let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: max(0, length - position - 1))
                    let value = ["k" + text: text]
                    let wire = try FoundationParity.wireBytes(value)
                    #expect(wire == (try FoundationParity.foundationBytes(value)))
                    #expect(try WireJSONDecoder().decode([String: String].self, from: Data(wire.utf8)) == value)
                }
            }
        }
        for bad in ["\"abcdefgh\u{1}ijklmnop\"", "\"abcdefghijklmnop", "\"abcdefg\\xhijklmnop\""] {
            #expect(throws: DecodingError.self) { try WireJSONDecoder().decode(String.self, from: Data(bad.utf8)) }
        }
    }

    @Test func invalidUTF8IsRejected() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
                               [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xF0, 0x9F, 0x98]] {
            #expect(throws: DecodingError.self) { try WireJSONDecoder().decode(String.self, from: Data(bytes)) }
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(String.self, from: Data(bytes)) }
        }
        let smile = try? WireJSONDecoder().decode(String.self, from: Data([0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22]))
        #expect(smile == "😀")
    }

    @Test func nestingIsCappedAt512WithoutCrashing() throws {
        func nested(_ depth: Int) -> Data { Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8) }
        #expect(throws: DecodingError.self) { try WireJSONDecoder().decode(JSONValue.self, from: nested(100_000)) }
        #expect(throws: DecodingError.self) { try WireJSONDecoder().decode(JSONValue.self, from: nested(513)) }
        #expect(try WireJSONDecoder().decode(JSONValue.self, from: nested(512)) != .null)
        let objects = Data((String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)).utf8)
        #expect(throws: DecodingError.self) { try WireJSONDecoder().decode(JSONValue.self, from: objects) }
    }

    @Test func jsonValueAndOpaquePayloadDecodeAsWithFoundation() throws {
        let json = #"{"a":[1,0.5,null,true,"x\/y",{"b":{}}],"c":"\u00e9","a":"dup","d":-1e-7,"e":false}"#
        let wire = FoundationParity.outcome(JSONValue.self, json, wire: true)
        #expect(wire == FoundationParity.outcome(JSONValue.self, json, wire: false))
        #expect(wire != .failure("dataCorrupted at ''"))
        for payload in ["{}", #"{"x":1}"#, "[]", "7", "null", #""s""#] {
            let envelope = #"{"v":1,"id":"x","type":"t","trace_id":"\#(SamplePayloads.traceId)","source":"s","ts":1,"payload":\#(payload)}"#
            let wireError = Result { try WireJSONDecoder().decode(Envelope<OpaquePayload>.self, from: Data(envelope.utf8)) }.map { _ in "ok" }
            let foundationError = Result { try JSONDecoder().decode(Envelope<OpaquePayload>.self, from: Data(envelope.utf8)) }.map { _ in "ok" }
            #expect(describe(wireError) == describe(foundationError), "\(payload)")
        }
    }

    private func describe(_ result: Result<String, any Error>) -> String {
        switch result {
        case .success(let value): value
        case .failure(let error): FoundationParity.signature(error)
        }
    }

    @Test func everyPayloadDecodesFromReorderedWhitespacedJSON() throws {
        let envelope = SamplePayloads.envelope("order.submit.ok", SamplePayloads.report, parent: "m-0")
        let object = try JSONSerialization.jsonObject(with: WireJSONEncoder().encode(envelope))
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
        let decoded = try JSONEnvelopeCodec().decode(OrderReport.self, from: pretty)
        #expect(decoded.payload == SamplePayloads.report)
        #expect(decoded.parentId == "m-0")
    }

    @Test(arguments: [
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1.5,"payload":{}}"#, ProtocolError.Code.malformedJSON, "'ts'"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":{"symbol":"A","side":"buy","confidence":0.5},}"#, .malformedJSON, "line 1, column"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":{"side":"buy","confidence":0.5}}"#, .missingField, "'payload.symbol'"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":{"symbol":null,"side":"buy","confidence":0.5}}"#, .missingField, "'payload.symbol' is null"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":[]}"#, .wrongType, "'payload'"),
        (#"{"v":1,"id":"x","type":"signal","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","source":"s","ts":1,"payload":{"symbol":"A","side":"up","confidence":0.5}}"#, .invalidValue, "'payload.side'"),
        ("{\"v\":1,\n\"id\":\"x\u{1}\"}", .malformedJSON, "line 2"),
    ])
    func codecErrorsKeepCodesAndNameTheField(json: String, code: ProtocolError.Code, mention: String) {
        #expect {
            _ = try JSONEnvelopeCodec().decode(SignalPayload.self, from: Data(json.utf8))
        } throws: { error in
            guard let error = error as? ProtocolError else { return false }
            return error.code == code && error.message.contains(mention)
                && (code != .malformedJSON || error.message.hasPrefix("message is not valid JSON"))
        }
    }

    @Test func decodeHeaderReadsTheHeaderOfAnyPayload() throws {
        let data = try JSONEnvelopeCodec().encode(SamplePayloads.envelope("order.submit.ok", SamplePayloads.report, parent: "m-0"))
        let header = try JSONEnvelopeCodec().decodeHeader(from: data)
        #expect(header.type == "order.submit.ok")
        #expect(header.parentId == "m-0")
        #expect(header.traceId == SamplePayloads.traceId)
    }
}
