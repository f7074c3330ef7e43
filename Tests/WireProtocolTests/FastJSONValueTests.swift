import Foundation
import Testing
@testable import WireFormat
@testable import WireProtocol

/// The hand-written form of plain JSON payloads (`JSONValue`, the payload of every trace
/// record) against the `Codable` path: the same values read, the same bytes written.
@Suite("Hand-written JSONValue form")
struct FastJSONValueTests {
    typealias Fast = FastEnvelopeDecodingTests.Fast

    static func doc(_ payload: String) -> String { FastEnvelopeDecodingTests.doc(payload) }

    static let inputs: [(String, Fast)] = [
        (doc(#"{"a":[1,0.5,null,true,false,"x\/y"],"b":{"c":{}},"d":[],"e":"\u00e9\n😀","":"empty name"}"#), .reads),
        (doc(#" { "n" : -0.0 , "m" : 1e15 , "k" : 123456789012345678901234567890 , "t" : 1E-7 , "u" : 0.30000000000000004 } "#), .reads),
        (doc("7"), .reads),
        (doc("-2.5e-300"), .reads),
        (doc("null"), .reads),
        (doc(#""text""#), .reads),
        (doc("[1,[2,[3,{}]]]"), .reads),
        // Names the `Codable` path compares as Swift strings are left to it.
        (doc(#"{"a":1,"a":2}"#), .declines),
        (doc(#"{"\u0061":1}"#), .declines),
        (doc(#"{"é":1}"#), .declines),
        (doc(#"{"e\u0301":1,"é":2}"#), .declines),
        // Malformed payloads: both paths refuse them.
        (doc(#"{"a":}"#), .declines),
        (doc("[1,]"), .declines),
        (doc("tru"), .declines),
        (doc("01"), .declines),
        (doc(#"{"a":1"#), .declines),
        (doc("1e400"), .either),
        (doc(String(repeating: "[", count: 600) + String(repeating: "]", count: 600)), .either),
    ]

    @Test(arguments: inputs.indices)
    func readsOrFailsExactlyAsTheCodablePath(_ index: Int) {
        let (json, fast) = Self.inputs[index]
        FastEnvelopeDecodingTests().expectSameOutcome(JSONValue.self, json, fast)
    }

    @Test func writesTheBytesOfTheCodablePath() throws {
        var random = RandomPayloads(seed: 0x7ace)
        var values: [JSONValue] = [
            .object(["b": .number(1), "a": .number(-0.0), "é": .null, "Z": .bool(false), "aa": .string("a/b\u{1}\"\\"), "": .array([])]),
            .array([.number(1e15 - 1), .number(1e15), .number(1e16), .number(0.1), .number(1e-7), .number(9_007_199_254_740_993), .number(-123.456)]),
            .string("plain"), .null, .bool(true), .object([:]),
        ]
        for _ in 0 ..< 200 { values.append(Self.randomValue(&random, depth: 0)) }
        for value in values {
            let envelope = Envelope(id: "m-1", type: "trace.test", traceId: SamplePayloads.traceId, parentId: nil, source: "s", ts: 1, payload: value)
            let fast = try #require(FastEnvelopeCoding.encode(envelope), "the hand-written form declined \(value)")
            #expect(fast == (try FastCodingSupport.codec.encodeWithCodable(envelope)), "\(value)")
        }
        // A number JSON cannot hold declines, and the codec reports it as the `Codable` path does.
        let infinite = Envelope(id: "m-1", type: "t", traceId: SamplePayloads.traceId, parentId: nil, source: "s", ts: 1,
                                payload: JSONValue.array([.number(.infinity)]))
        #expect(FastEnvelopeCoding.encode(infinite) == nil)
        #expect(throws: ProtocolError.self) { try FastCodingSupport.codec.encode(infinite) }
    }

    private static func randomValue(_ random: inout RandomPayloads, depth: Int) -> JSONValue {
        switch Int.random(in: depth < 3 ? 0 ... 5 : 0 ... 3, using: &random.generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random.generator))
        case 2: return .number(random.double())
        case 3: return .string(random.string())
        case 4: return .array((0 ..< Int.random(in: 0 ... 4, using: &random.generator)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0 ..< Int.random(in: 0 ... 4, using: &random.generator) { members[random.string()] = randomValue(&random, depth: depth + 1) }
            return .object(members)
        }
    }
}
