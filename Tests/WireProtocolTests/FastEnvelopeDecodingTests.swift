import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

@Suite("Hand-written envelope decoding")
struct FastEnvelopeDecodingTests {
    /// Whether the fast path must read the input itself, must leave it to the `Codable` path, or may do either.
    enum Fast: Sendable { case reads, declines, either }

    static let trace = SamplePayloads.traceId
    static let headerFields = #""id":"m-1","parent_id":null,"source":"s","trace_id":"\#(trace)","ts":1700000000000001,"type":"order.submit","v":1"#
    static let orderFields = #""account":"desk","client_order_id":"c-1","price":60012.5,"qty":0.5,"side":"sell","symbol":"BTC-USD","type":"limit""#

    static func doc(_ payload: String = "{\(orderFields)}", header: String = headerFields) -> String { "{\(header),\"payload\":\(payload)}" }
    static func order(_ replacing: String, with: String) -> String { doc("{" + orderFields.replacingOccurrences(of: replacing, with: with) + "}") }
    static func header(_ replacing: String, with: String) -> String { doc(header: headerFields.replacingOccurrences(of: replacing, with: with)) }

    static let submitInputs: [(String, Fast)] = [
        (doc(), .reads),
        (#" { "v" : 1.0 , "payload" : { "type" : "market" , "qty" : 1E2 , "symbol" : "ETH-USD" , "side" : "buy" , "client_order_id" : "x" , "account" : "a" } , "ts" : 5 , "source" : "py" , "trace_id" : "\#(trace)" , "type" : "t" , "id" : "i" } "#, .reads),
        ("\u{FEFF}" + doc(), .reads),
        (doc(header: headerFields + #","extra":{"a":[1,{"b":null}],"c":"\u00e9"},"future":true"#), .reads),
        (order(#""qty":0.5"#, with: #""qty":0.5,"unknown":[true,false,null,"x"]"#), .reads),
        (order(#""BTC-USD""#, with: #""BTC\u002dUSD\ud83d\ude00""#), .reads),
        (order(#""desk""#, with: #""d\u00e9sk \"q\" \\ \/ \n\t\b\f\r""#), .reads),
        (order(#""desk""#, with: #""désk😀€""#), .reads),
        (order(#""qty":0.5"#, with: #""qty":0.5,"qty":"not read""#), .reads),
        (header(#""id":"m-1""#, with: #""id":"m-1","id":7"#), .reads),
        // Quantities are exact to 1e-8 within ±92233720368.54775807: finer or larger numbers
        // are refused by both paths (the Codable one names the field and the value).
        (order("0.5", with: "1e-300"), .declines),
        (order("0.5", with: "1.7976931348623157e308"), .declines),
        (order("0.5", with: "5e-324"), .declines),
        (order("0.5", with: "123456789012345678901234567890"), .declines),
        (order("0.5", with: "0.1e1"), .reads),
        (order("0.5", with: "0.30000000000000004"), .declines),
        (order("0.5", with: "0.23364996"), .reads),
        (order("0.5", with: "2.3364996e-1"), .reads),
        (order("0.5", with: "0.000000001"), .declines),
        (order("60012.5", with: "-0.0").replacingOccurrences(of: "limit", with: "market"), .reads),
        (order(#""price":60012.5"#, with: #""price":null"#).replacingOccurrences(of: "limit", with: "market"), .reads),
        (header("1700000000000001", with: "9223372036854775807"), .reads),
        (header("1700000000000001", with: "-9223372036854775808"), .reads),
        (header("1700000000000001", with: "1.7e3"), .reads),
        (header(#""parent_id":null"#, with: #""parent_id":"p\u0031""#), .reads),
        (header(#""parent_id":null,"#, with: ""), .reads),
        // Decoded, then rejected by validation exactly as before.
        (header(#""v":1"#, with: #""v":2"#), .reads),
        (header(trace, with: trace.uppercased()), .reads),
        (order("0.5", with: "-1"), .reads),
        (order(#""price":60012.5,"#, with: ""), .reads),
        // Names with escapes or non-ASCII bytes: left to the Codable path's string comparison.
        (order(#""symbol""#, with: #""sym\u0062ol""#), .declines),
        (order(#""qty":0.5"#, with: #""qty":0.5,"ключ":1"#), .declines),
        // Not JSON.
        ("", .declines), ("{", .declines), ("not json", .declines), (doc() + ",", .declines),
        (header(#""v":1"#, with: #""v":1,"#), .declines),
        (order(#""desk""#, with: #""d\xsk""#), .declines),
        (order(#""desk""#, with: "\"d\u{1}sk\""), .declines),
        (order(#""desk""#, with: #""d\ud800sk""#), .declines),
        // Not JSON inside a payload that a header read passes over by its brackets.
        (order("0.5", with: "tru"), .declines), (order("0.5", with: "01"), .declines),
        (order("0.5", with: "[0.5}"), .declines), (order("0.5", with: "0.5]"), .declines),
        (order("0.5", with: "{0.5}"), .declines), (order(#""desk""#, with: #""d\"#), .declines),
        (doc(#"{"a":"x}"#), .declines), (doc(#"{"a":[[[1]]}"#), .declines),
        ("[]", .declines), ("null", .declines), ("7", .declines), (#""text""#, .declines),
        // Wrong types and nulls.
        (order("0.5", with: #""0.5""#), .declines),
        (order(#""sell""#, with: "5"), .declines),
        (order(#""BTC-USD""#, with: "null"), .declines),
        (order(#""price":60012.5"#, with: #""price":"high""#), .declines),
        (doc("[]"), .declines), (doc("null"), .declines), (doc("7"), .declines),
        (header(#""parent_id":null"#, with: #""parent_id":5"#), .declines),
        (header("1700000000000001", with: #""now""#), .declines),
        (header(#""v":1"#, with: #""v":true"#), .declines),
        (header(#""id":"m-1""#, with: #""id":null"#), .declines),
        // Missing fields.
        (order(#""qty":0.5,"#, with: ""), .declines),
        (header(#""trace_id":"\#(trace)","#, with: ""), .declines),
        (header(#""v":1"#, with: #""w":1"#), .declines),
        ("{\(headerFields)}", .declines),
        // Values the field's type cannot hold.
        (order(#""sell""#, with: #""hold""#), .declines),
        (order(#""limit""#, with: #""stop""#), .declines),
        (header("1700000000000001", with: "1e400"), .declines),
        (header("1700000000000001", with: "9223372036854775808"), .declines),
        (header("1700000000000001", with: "1.5"), .declines),
        (order("0.5", with: "1e400"), .declines),
        (header(#""v":1"#, with: #""v":1.5"#), .declines),
    ]

    func expectSameOutcome<P: MessagePayload & FastWireCodable & Equatable>(_ type: P.Type, _ json: String, _ fast: Fast,
                                                          sourceLocation: SourceLocation = #_sourceLocation) {
        expectSameOutcome(type, Data(json.utf8), fast, sourceLocation: sourceLocation)
    }

    func expectSameOutcome<P: MessagePayload & FastWireCodable & Equatable>(_ type: P.Type, _ data: Data, _ fast: Fast,
                                                                            sourceLocation: SourceLocation = #_sourceLocation) {
        let json = String(decoding: data, as: UTF8.self)
        let read = FastEnvelopeCoding.decode(type, from: data)
        if fast != .either {
            #expect((read != nil) == (fast == .reads), "fast path \(read == nil ? "declined" : "read") \(json)", sourceLocation: sourceLocation)
        }
        let reference = FastCodingSupport.decodedWithCodable(type, data)
        #expect(FastCodingSupport.decoded(type, data) == reference, "\(json)", sourceLocation: sourceLocation)
        if let read, let codable = try? FastCodingSupport.codec.decodeWithCodable(type, from: data) {
            #expect(FastCodingSupport.Snapshot(read) == FastCodingSupport.Snapshot(codable), sourceLocation: sourceLocation)
        }
        expectOpenedLikeDecoded(type, data, fast, sourceLocation: sourceLocation)
    }

    /// A message opened (header read, payload's place kept) and then decoded gives what reading its
    /// header alone and decoding it whole give; the place is kept whenever the fast path reads
    /// the input. Opening passes over the payload unchecked, so a payload that is not valid JSON
    /// may open: decoding it then fails as a header read of the whole body does.
    func expectOpenedLikeDecoded<P: MessagePayload & Equatable>(_ type: P.Type, _ data: Data, _ fast: Fast,
                                                                sourceLocation: SourceLocation) {
        let json = String(decoding: data, as: UTF8.self)
        let codec = FastCodingSupport.codec
        let header = FastCodingSupport.decoded(OpaquePayload.self, data)
        let message: InboundMessage
        do throws(ProtocolError) {
            message = try codec.open(data)
        } catch {
            #expect(header == .failure(error), "open failed unlike decodeHeader: \(json)", sourceLocation: sourceLocation)
            return
        }
        let reopened: FastCodingSupport.Outcome<OpaquePayload>
        do throws(ProtocolError) {
            reopened = .value(FastCodingSupport.Snapshot(try codec.decode(OpaquePayload.self, from: message)))
        } catch {
            reopened = .failure(error)
        }
        #expect(reopened == header, "the opened message decoded unlike decodeHeader: \(json)", sourceLocation: sourceLocation)
        if case .value = header {
            #expect(header == .value(FastCodingSupport.Snapshot(message.header)), "\(json)", sourceLocation: sourceLocation)
        }
        if fast == .reads {
            #expect(message.payload != nil, "the payload's place was not kept for \(json)", sourceLocation: sourceLocation)
        }
        let decoded: FastCodingSupport.Outcome<P>
        do throws(ProtocolError) {
            decoded = .value(FastCodingSupport.Snapshot(try codec.decode(type, from: message)))
        } catch {
            decoded = .failure(error)
        }
        #expect(decoded == FastCodingSupport.decoded(type, data), "decoded from the scan: \(json)", sourceLocation: sourceLocation)
    }

    @Test(arguments: submitInputs.indices)
    func orderSubmitInputsReadOrFailExactlyAsTheCodablePath(index: Int) {
        let (json, fast) = Self.submitInputs[index]
        expectSameOutcome(OrderSubmit.self, json, fast)
    }

    static let fill = #"{"account":"desk","client_order_id":"c-1","fee":15.003125,"order_id":"O-1","price":60012.5,"qty":0.25,"side":"buy","symbol":"BTC-USD"}"#
    static let report = #"{"account":"desk","avg_price":60012.5,"client_order_id":"c-1","filled_qty":0.25,"fills":[FILLS],"order_id":"O-1","qty":0.5,"side":"buy","status":"partially_filled","symbol":"BTC-USD","type":"limit"}"#

    static let reportInputs: [(String, Fast)] = [
        (doc(report.replacingOccurrences(of: "FILLS", with: fill)), .reads),
        (doc(report.replacingOccurrences(of: "FILLS", with: "\(fill), \(fill)")), .reads),
        (doc(report.replacingOccurrences(of: "FILLS", with: "")), .reads),
        (doc(report.replacingOccurrences(of: #""avg_price":60012.5"#, with: #""avg_price":null,"reason":"r\u00e9","reason_code":null"#)
            .replacingOccurrences(of: "FILLS", with: "")), .reads),
        (doc(report.replacingOccurrences(of: "FILLS", with: fill.replacingOccurrences(of: #""fee":15.003125,"#, with: ""))), .declines),
        (doc(report.replacingOccurrences(of: "FILLS", with: "\(fill),7")), .declines),
        (doc(report.replacingOccurrences(of: "FILLS", with: "null")), .declines),
        (doc(report.replacingOccurrences(of: "[FILLS]", with: "null")), .declines),
        (doc(report.replacingOccurrences(of: "[FILLS]", with: "{}")), .declines),
        (doc(report.replacingOccurrences(of: "partially_filled", with: "partiallyFilled").replacingOccurrences(of: "FILLS", with: "")), .declines),
        (doc(report.replacingOccurrences(of: "FILLS", with: fill.replacingOccurrences(of: "15.003125", with: "-1"))), .reads),
    ]

    @Test(arguments: reportInputs.indices)
    func orderReportInputsReadOrFailExactlyAsTheCodablePath(index: Int) {
        let (json, fast) = Self.reportInputs[index]
        expectSameOutcome(OrderReport.self, json, fast)
    }

    /// Member names are looked up from the field after the last one found; any order of the
    /// members, repeated names (the first counts) and unknown names between them read as the
    /// `Codable` path reads them.
    @Test func membersInAnyOrderReadExactlyAsTheCodablePath() {
        let members = Self.report.replacingOccurrences(of: "FILLS", with: Self.fill).dropFirst().dropLast()
        // Split at the commas between members, not those inside the fills array.
        var parts: [String] = [], depth = 0, current = ""
        for character in members {
            if character == "[" || character == "{" { depth += 1 }
            if character == "]" || character == "}" { depth -= 1 }
            if character == ",", depth == 0 { parts.append(current); current = "" } else { current.append(character) }
        }
        parts.append(current)
        #expect(parts.count == 11)
        for shift in parts.indices {
            let rotated = Array(parts[shift...] + parts[..<shift])
            expectSameOutcome(OrderReport.self, Self.doc("{" + rotated.joined(separator: ",") + "}"), .reads)
            expectSameOutcome(OrderReport.self, Self.doc("{" + rotated.reversed().joined(separator: ",") + "}"), .reads)
            // The first member again with another value, an unknown name before it.
            let name = parts[shift].prefix { $0 != ":" }
            let repeated = rotated + [#""unknown":1"#, String(name) + ":null"]
            expectSameOutcome(OrderReport.self, Self.doc("{" + repeated.joined(separator: ",") + "}"), .reads)
        }
    }

    @Test func signalAndFillInputsReadOrFailExactlyAsTheCodablePath() {
        let signal = #"{"confidence":0.8,"side":"buy","symbol":"BTC-USD"}"#
        expectSameOutcome(SignalPayload.self, Self.doc(signal), .reads)
        expectSameOutcome(SignalPayload.self, Self.doc(signal.replacingOccurrences(of: "0.8,", with: #"0.8,"note":null,"#)), .reads)
        expectSameOutcome(SignalPayload.self, Self.doc(signal.replacingOccurrences(of: "0.8,", with: #"0.8,"note":"\u2028""#)), .declines)
        expectSameOutcome(SignalPayload.self, Self.doc(signal.replacingOccurrences(of: "0.8,", with: #"0.8,"note":"\u2028","#)), .reads)
        expectSameOutcome(SignalPayload.self, Self.doc(signal.replacingOccurrences(of: "0.8", with: "1.5")), .reads)
        expectSameOutcome(SignalPayload.self, Self.doc(signal.replacingOccurrences(of: "0.8", with: "true")), .declines)
        expectSameOutcome(FillPayload.self, Self.doc(Self.fill), .reads)
        expectSameOutcome(FillPayload.self, Self.doc(Self.fill.replacingOccurrences(of: "0.25", with: "[0.25]")), .declines)
    }

    /// What the ExecutionAgent reads for every cycle: an order inside an `execute` request.
    @Test func executeInputsReadOrFailExactlyAsTheCodablePath() {
        let order = "{\(Self.orderFields)}"
        expectSameOutcome(ExecuteRequest.self, Self.doc(#"{"order":\#(order)}"#), .reads)
        expectSameOutcome(ExecuteRequest.self, Self.doc(#"{"extra":1,"order":\#(order)}"#), .reads)
        expectSameOutcome(ExecuteRequest.self, Self.doc(#"{"order":\#(order.replacingOccurrences(of: "0.5", with: "\"0.5\""))}"#), .declines)
        expectSameOutcome(ExecuteRequest.self, Self.doc(#"{"order":\#(order.replacingOccurrences(of: #""side":"sell","#, with: ""))}"#), .declines)
        expectSameOutcome(ExecuteRequest.self, Self.doc(#"{"order":null}"#), .declines)
        expectSameOutcome(ExecuteRequest.self, Self.doc("{}"), .declines)
        expectSameOutcome(ExecuteRequest.self, Self.doc(#"{"order":[]}"#), .declines)
    }

    @Test func invalidUTF8IsLeftToTheCodablePath() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]] {
            let parts = Self.doc().components(separatedBy: "desk")
            let data = Data(parts[0].utf8) + Data(bad) + Data(parts[1].utf8)
            expectSameOutcome(OrderSubmit.self, data, .declines)
        }
    }

    @Test func headerReadsOnlyNeedAnObjectPayload() {
        expectSameOutcome(OpaquePayload.self, Self.doc(), .reads)
        expectSameOutcome(OpaquePayload.self, Self.doc(#"{"a":[1,2],"\u00e9":{"b":null}}"#), .reads)
        expectSameOutcome(OpaquePayload.self, Self.doc("{}"), .reads)
        expectSameOutcome(OpaquePayload.self, Self.doc("7"), .declines)
        expectSameOutcome(OpaquePayload.self, Self.doc("null"), .declines)
        expectSameOutcome(OpaquePayload.self, Self.doc("[]"), .declines)
    }

    @Test func payloadsWithoutAHandWrittenFormAreLeftToTheCodablePath() {
        let json = Self.doc(#"{"agent":"bus","pid":1,"seq":2,"uptime_ms":3,"handled":4,"errors":0}"#)
        #expect(HeartbeatPayload.fastJSON == nil)
        #expect((try? FastCodingSupport.codec.decode(HeartbeatPayload.self, from: Data(json.utf8)))?.payload.agent == "bus")
    }
}
