import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

@Suite("Payload validation")
struct PayloadValidationTests {
    @Test func orderSubmitRejectsImpossibleNumbers() {
        let good = OrderSubmit(clientOrderId: "c1", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.5)
        #expect(throws: Never.self) { try good.validate() }
        for qty: WireDecimal in [0, -1, WireDecimal(units: -1)] {
            var bad = good
            bad.qty = qty
            #expect(throws: ProtocolError.self) { try bad.validate() }
        }
        var limit = good
        limit.type = .limit
        #expect { try limit.validate() } throws: { ($0 as? ProtocolError)?.code == .missingField }
        limit.price = -5
        #expect { try limit.validate() } throws: { ($0 as? ProtocolError)?.message.contains("payload.price") == true }
        limit.price = 100
        #expect(throws: Never.self) { try limit.validate() }
    }

    @Test func namesMustBeShortAndWithoutSpaces() {
        #expect(throws: ProtocolError.self) { try SignalPayload(symbol: "", side: .buy, confidence: 0.5).validate() }
        #expect(throws: ProtocolError.self) { try SignalPayload(symbol: "BTC USD", side: .buy, confidence: 0.5).validate() }
        #expect(throws: ProtocolError.self) { try SignalPayload(symbol: String(repeating: "X", count: 65), side: .buy, confidence: 0.5).validate() }
    }

    @Test func crossedTickIsInvalid() {
        #expect(throws: ProtocolError.self) { try MarketTick(symbol: "A", bid: 101, ask: 100, last: 100).validate() }
        #expect(throws: Never.self) { try MarketTick(symbol: "A", bid: 100, ask: 101, last: 100).validate() }
    }

    @Test func approvedVerdictNeedsQuantity() {
        let verdict = RiskVerdict(symbol: "A", side: .buy, approved: true, qty: 0, price: 10, notional: 0, reason: "", limit: nil)
        #expect(throws: ProtocolError.self) { try verdict.validate() }
    }

    @Test func decodedOrderReportKeepsWireNames() throws {
        let report = OrderReport(orderId: "O-1", clientOrderId: "c", account: "desk", symbol: "A", side: .sell, type: .market,
                                 status: .partiallyFilled, qty: 2, filledQty: 1, avgPrice: 10, fills: [], reason: nil, reasonCode: nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(report), as: UTF8.self)
        #expect(text.contains(#""status":"partially_filled""#))
        #expect(text.contains(#""filled_qty":1"#))
        #expect(text.contains(#""client_order_id":"c""#))
    }
}

@Suite("Identifiers and topics")
struct IdentifierTests {
    @Test func traceIdsAreW3CAndUnique() {
        let ids = (0..<1_000).map { _ in TraceID.make() }
        #expect(ids.allSatisfy(TraceID.isValid))
        #expect(Set(ids).count == ids.count)
    }

    /// Fifteen digits: the most a Swift string holds without a heap allocation.
    @Test func messageIdsAreFifteenHexDigitsAndUniqueAcrossThreads() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { (0..<5_000).map { _ in MessageID.make() } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(MessageID.length == 15)
        #expect(ids.count == 20_000 && Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.utf8.count == 15 && $0.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } })
        #expect(!ids.contains(String(repeating: "0", count: 15)))
        // Every digit place takes every value: the 60 bits are random, not a 16th digit dropped.
        for place in 0..<15 {
            let digits = Set(ids.map { Array($0.utf8)[place] })
            #expect(digits.count == 16, "digit \(place) took \(digits.count) values")
        }
    }

    /// The generator behind the ids reproduces the reference xoshiro256** sequence.
    @Test func idGeneratorFollowsTheReferenceSequence() {
        struct Counting: RandomNumberGenerator {
            var value: UInt64 = 0
            mutating func next() -> UInt64 { value += 1; return value }
        }
        var generator = Xoshiro256StarStar(seededBy: Counting())  // state 1, 2, 3, 4
        #expect((0..<4).map { _ in generator.next() } == [11_520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test(arguments: ["", "00000000000000000000000000000000", "4bf92f3577b34da6a3ce929d0e0e473", "4bf92f3577b34da6a3ce929d0e0e473g", "4BF92F3577B34DA6A3CE929D0E0E4736"])
    func invalidTraceIds(_ text: String) {
        #expect(!TraceID.isValid(text))
    }

    /// Every byte value in every position: only 0-9 and a-f are accepted, wherever they stand.
    @Test func traceIdCharactersAreCheckedAtEveryPosition() {
        let valid = Array("4bf92f3577b34da6a3ce929d0e0e4736".utf8)
        for position in valid.indices {
            for byte in UInt8.min ... UInt8.max {
                var bytes = valid
                bytes[position] = byte
                let isHexDigit = (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a") ... UInt8(ascii: "f")).contains(byte)
                #expect(TraceID.isValid(String(decoding: bytes, as: UTF8.self)) == isHexDigit, "byte \(byte) at \(position)")
            }
        }
        #expect(TraceID.isValid("00000000000000000000000000000001"))
    }

    @Test func topicParts() {
        #expect(Topic.fill("BTC-USD") == "fill.BTC-USD")
        #expect(Topic.kind(of: "heartbeat.risk-manager") == "heartbeat")
        #expect(Topic.qualifier(of: "heartbeat.risk-manager") == "risk-manager")
        #expect(Topic.qualifier(of: "signal") == "")
    }

    @Test func jsonValueRoundTrip() throws {
        let json = #"{"a":[1,2.5,"x",null,true],"b":{"c":-3}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(value["a"] == .array([.number(1), .number(2.5), .string("x"), .null, .bool(true)]))
        #expect(value["b"]?["c"]?.number == -3)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(value), as: UTF8.self) == json)
    }
}
