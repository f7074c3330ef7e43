import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

/// A request opened by a server passes over its payload by the payload's place when the message
/// is written as this codec writes one (`WrittenPayloadPlace`): the same header and payload as a
/// read of the whole message, and the same error for a payload that is not JSON; a message whose
/// members read two ways from its two ends is refused.
@Suite("The payload's place in a written envelope")
struct WrittenPayloadPlaceTests {
    typealias Cases = FastEnvelopeDecodingTests

    static let trace = SamplePayloads.traceId

    /// `payload` between the members this codec writes before and after it.
    static func written(_ payload: String, parent: String = "null", between: String = "", source: String = "s") -> String {
        #"{"id":"m-1","parent_id":\#(parent),"payload":\#(payload)\#(between),"source":"\#(source)","trace_id":"\#(trace)","ts":1700000000000001,"type":"order.submit","v":1}"#
    }

    /// The payloads of decoding cases written whole after the header (`doc(_:)`).
    static func payloads(_ cases: [(String, FastEnvelopeDecodingTests.Fast)]) -> [(String, FastEnvelopeDecodingTests.Fast)] {
        let prefix = "{\(Cases.headerFields),\"payload\":"
        return cases.compactMap { json, fast in
            guard json.hasPrefix(prefix), json.hasSuffix("}") else { return nil }
            return (String(json.dropFirst(prefix.count).dropLast()), fast)
        }
    }

    /// Where the payload ends in `json` by its place; nil when the message is written otherwise.
    static func end(of json: String) -> Int? {
        Array(json.utf8).withUnsafeBufferPointer { WrittenPayloadPlace.end(in: $0, payloadAt: payloadStart(json)) }
    }

    /// The offset of the payload's first byte: after the first `"payload":`.
    static func payloadStart(_ json: String) -> Int {
        let bytes = Array(json.utf8), name = Array(#""payload":"#.utf8)
        return (0 ... bytes.count - name.count).first { Array(bytes[$0 ..< $0 + name.count]) == name }! + name.count
    }

    @Test func everyCaseReadsAsAReadOfTheWholeMessage() {
        let submits = Self.payloads(Cases.submitInputs), reports = Self.payloads(Cases.reportInputs)
        #expect(submits.count > 40 && reports.count > 10)
        let decoding = FastEnvelopeDecodingTests()
        let tail = Array(#","source":"s","trace_id":"\#(Self.trace)","ts":1700000000000001,"type":"order.submit","v":1}"#.utf8)
        var objects = 0
        for ((payload, fast), isSubmit) in submits.map({ ($0, true) }) + reports.map({ ($0, false) }) {
            let json = Self.written(payload)
            decoding.expectSameOutcome(OrderSubmit.self, json, isSubmit ? fast : .either)
            decoding.expectSameOutcome(OrderReport.self, json, isSubmit ? .either : fast)
            decoding.expectSameOutcome(OpaquePayload.self, json, .either)
            // Every payload in braces is placed, those that are not JSON among them.
            guard payload.hasPrefix("{"), payload.hasSuffix("}") else { continue }
            objects += 1
            #expect(Self.end(of: json) == Array(json.utf8).count - tail.count, "\(json)")
        }
        #expect(objects > 45)
    }

    @Test func theCyclesRequestsAreFoundWhereTheCodecWritesThem() throws {
        let codec = JSONEnvelopeCodec()
        let trace = TraceContext.root()
        let analysis = AnalysisReport(symbol: "BTC-USD", direction: .long, confidence: 0.4, technicalScore: 0.4, trendStrength: 0.3,
                                      sampleCount: 500, fastEma: 100.1, slowEma: 99.9, rsi: 55.1, atr: 0.23, momentumZ: 1.2,
                                      volatility: 0.0012, keyLevels: KeyLevelsPayload(support: 99.5, resistance: 100.75),
                                      lastPrice: 100.25, thesis: "EMA5 {above} EMA20 [x] \"quoted\" \\ é")
        let request = Envelope.make(type: AssessRequest.requestType, source: "trading-director", trace: trace,
                                    payload: AssessRequest(symbol: "BTC-USD", side: .buy, account: "desk", signalConfidence: 0.8,
                                                           analysis: analysis, afterVersion: 7, venueEpoch: "00a1b2c3d4e5f607"))
        let body = try codec.encode(request)
        let json = String(decoding: body, as: UTF8.self)
        let payload = try #require(Self.end(of: json))
        #expect(body[payload - 1] == UInt8(ascii: "}") && body[payload] == UInt8(ascii: ","))
        let opened = try codec.open(body)
        #expect(opened.payload == Self.payloadStart(json) ..< payload)
        #expect(try codec.decode(AssessRequest.self, from: opened).payload == request.payload)
        // A root message (no parent) and a reply are found too.
        let root = try codec.encode(Envelope.make(type: AnalyzeRequest.requestType, source: "t", trace: .init(traceId: trace.traceId, parentId: nil),
                                                  payload: AnalyzeRequest(symbol: "BTC-USD", side: .sell)))
        #expect(Self.end(of: String(decoding: root, as: UTF8.self)) != nil)
    }

    @Test func messagesWrittenOtherwiseArePassedOverByTheirBrackets() {
        let payload = #"{"a":[1,{"b":"}"}]}"#
        for json in [Self.written(payload).replacingOccurrences(of: #","source""#, with: #", "source""#),
                     Self.written(payload, source: "s}t"), Self.written(payload, source: #"s\u0074"#),
                     Self.written(payload).replacingOccurrences(of: #""v":1}"#, with: #""v":1 }"#),
                     Self.written(payload).replacingOccurrences(of: #"{"id""#, with: #"{ "id""#),
                     Self.written(payload, parent: "7"), Cases.doc(payload)] {
            #expect(Self.end(of: json) == nil, "\(json)")
            // Opened all the same, its payload found by its brackets.
            let decoding = FastEnvelopeDecodingTests()
            decoding.expectSameOutcome(OpaquePayload.self, json, .either)
        }
        #expect(Self.end(of: Self.written(payload, parent: #""p-1""#)) != nil)
    }

    /// Members between the payload and the source: unknown ones read as a whole read does; one
    /// that names a header member again, placed so that the message reads two ways from its two
    /// ends, is refused for every payload type; one that does not read two ways is read.
    @Test func membersBetweenThePayloadAndTheSource() throws {
        let codec = JSONEnvelopeCodec()
        // Long enough for their place to be worth finding (`WrittenPayloadPlace.worthFinding`).
        let note = #","note":"\#(String(repeating: "n", count: WrittenPayloadPlace.worthFinding))""#
        let order = "{\(Cases.orderFields)\(note)}"
        let heartbeat = #"{"agent":"bus","errors":0,"handled":4,"pid":1,"seq":2,"uptime_ms":3\#(note)}"#
        let unknown = Self.written(order, between: #","priority":{"level":[1,2]}"#)
        #expect(Self.end(of: unknown) != nil)
        let opened = try codec.open(Data(unknown.utf8))
        #expect(try codec.decode(OrderSubmit.self, from: opened) == codec.decode(OrderSubmit.self, from: Data(unknown.utf8)))
        let trace = String(repeating: "1", count: 32)
        for between in [#","type":"other","x":{}"#, #","source":"other","x":{"y":[]}"#, #","trace_id":"\#(trace)","x":{}"#] {
            for (payload, decode) in [(order, { message in _ = try codec.decode(OrderSubmit.self, from: message) }),
                                      (order, { message in _ = try codec.decode(OpaquePayload.self, from: message) }),
                                      (heartbeat, { message in _ = try codec.decode(HeartbeatPayload.self, from: message) })]
                as [(String, (InboundMessage) throws -> Void)] {
                let json = Self.written(payload, between: between)
                #expect(Self.end(of: json) != nil, "\(json)")
                let message = try codec.open(Data(json.utf8))
                let whole = try codec.decode(OpaquePayload.self, from: Data(json.utf8))
                #expect(!whole.hasHeader(of: message.header), "\(json) read the same both ways")
                #expect { try decode(message) } throws: { ($0 as? ProtocolError)?.code == .malformedJSON }
            }
        }
        // Named again with nothing in braces after it: passed over by the brackets, read as a whole read reads it.
        let again = Self.written(order, between: #","type":"other""#)
        #expect(Self.end(of: again) == nil)
        #expect(try codec.decode(OrderSubmit.self, from: codec.open(Data(again.utf8))) == codec.decode(OrderSubmit.self, from: Data(again.utf8)))
    }
}
