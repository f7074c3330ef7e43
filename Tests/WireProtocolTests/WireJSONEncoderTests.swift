import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

@Suite("Wire JSON encoder parity with Foundation")
struct WireJSONEncoderTests {
    @Test func everyPayloadTypeEncodesToFoundationsBytesAndRoundTrips() throws {
        let samples = SamplePayloads.everyPayload
        #expect(samples.count > 30)
        for sample in samples {
            #expect(throws: Never.self, "\(sample.name)") { try sample.check(Parity()) }
        }
    }

    @Test func explicitNullParentAndOmittedOptionalMatchFoundation() throws {
        let envelope = SamplePayloads.envelope("signal", SignalPayload(symbol: "A", side: .buy, confidence: 1))
        let text = try FoundationParity.wireBytes(envelope)
        #expect(text.contains(#""parent_id":null"#))
        #expect(!text.contains("note"))
        #expect(text == (try FoundationParity.foundationBytes(envelope)))
    }

    @Test func doublesAreFormattedAsFoundationFormatsThem() throws {
        var values: [Double] = [0, -0.0, 1, -1, 0.75, 60012.5, 1e-8, 1e-5, 1e-4, 0.0001234, 1e15, 1e16, 1e21, 1e22, 1e300,
                                9_007_199_254_740_992, 9_007_199_254_740_994, 4_503_599_627_370_495.5, Double(123_456_789_012_345_678 as Int64),
                                .leastNonzeroMagnitude, 2.2250738585072014e-308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                0.1 + 0.2, 1.0 / 3, 100, 2.5e15, -1.5e-7, 12345.678]
        var generator = SeededGenerator(seed: 42)
        for _ in 0 ..< 3000 {
            let bits = Double(bitPattern: generator.next())
            if bits.isFinite { values.append(bits) }
            values.append(Double(Int64.random(in: -1_000_000_000 ... 1_000_000_000, using: &generator)) / 1000)
            values.append(Double.random(in: -1e6 ... 1e6, using: &generator).rounded(.towardZero))
            values.append(Double.random(in: 0 ... 1, using: &generator) * pow(10, Double(Int.random(in: -30 ... 30, using: &generator))))
        }
        #expect(try FoundationParity.wireBytes(values) == (try FoundationParity.foundationBytes(values)))
        let floats: [Float] = [1, 1.1, 0.75, 3.4e38, 1e-10, 16_777_216, 0.1]
        #expect(try FoundationParity.wireBytes(floats) == (try FoundationParity.foundationBytes(floats)))
    }

    /// Decimals of up to eight places are written from their digits, without `description`,
    /// where that gives the same text: across the magnitudes where the writer takes that way
    /// and past its bounds, with the neighbours of each decimal (which must not take it) and
    /// with 14 to 17 significant digits, every value's bytes are Foundation's.
    @Test func shortDecimalsAreWrittenAsFoundationWritesThem() throws {
        var values: [Double] = [0.001, -0.001, 0.00099999, 0.0011, 1e-3 + 1e-11, 9_999_999.99999999, 10_000_000.5, 99_999_999.9999999,
                                100_000_000.25, 999_999_999.999999, 1_000_000_000.5, 0.1 + 0.2, 1.0 / 3, 0.23364996, 60012.5, 14.02]
        var generator = SeededGenerator(seed: 85)
        var taken = 0
        for _ in 0 ..< 6000 {
            let places = Int.random(in: 1 ... 8, using: &generator)
            let scale = pow(10, Double(places))
            let units = Int64.random(in: 1 ... 999_999_999_999_999, using: &generator) / Int64(pow(10, Double(Int.random(in: 0 ... 14, using: &generator))))
            let value = Double(units) / scale * (Bool.random(using: &generator) ? 1 : -1)
            values += [value, value.nextUp, value.nextDown]
            if JSONWriter.shortDecimal(value) != nil { taken += 1 }
        }
        // Most of the sample takes the short way, so the comparison below covers it.
        #expect(taken > 3000)
        #expect(JSONWriter.shortDecimal(60012.5)! == (600125, 1))
        #expect(JSONWriter.shortDecimal(0.23364996)! == (23364996, 8))
        #expect(JSONWriter.shortDecimal(0.1 + 0.2) == nil)
        #expect(JSONWriter.shortDecimal(1e-4) == nil)
        #expect(try FoundationParity.wireBytes(values) == (try FoundationParity.foundationBytes(values)))
    }

    @Test func integersOfEveryWidthMatchFoundation() throws {
        struct Widths: Codable, Equatable {
            var a = Int.min, b = Int64.max, c = Int8.min, d = Int16.max, e = Int32.min, f = UInt.max, g = UInt8.max, h = UInt16.max,
                i = UInt32.max, j = UInt64.max
        }
        #expect(try FoundationParity.wireBytes(Widths()) == (try FoundationParity.foundationBytes(Widths())))
        #expect(try WireJSONDecoder().decode(Widths.self, from: WireJSONEncoder().encode(Widths())) == Widths())
    }

    @Test func stringsAreEscapedAsFoundationEscapesThem() throws {
        var strings = ["", "plain", "a\"b", "back\\slash", "sl/ash", "\u{7F}", "\u{2028}\u{2029}", "é", "😀", "\r\n\t\u{8}\u{C}"]
        strings.append(String((0 ..< 0x20).map { Character(Unicode.Scalar(UInt8($0))) }))
        var generator = SeededGenerator(seed: 7)
        let alphabet: [Unicode.Scalar] = ["a", "Z", "\"", "\\", "/", "\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "é", "\u{FFFF}", "😀", " ", "\n"]
        for _ in 0 ..< 500 {
            let length = Int.random(in: 0 ... 20, using: &generator)
            strings.append(String(String.UnicodeScalarView((0 ..< length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })))
        }
        #expect(try FoundationParity.wireBytes(strings) == (try FoundationParity.foundationBytes(strings)))
        #expect(try WireJSONDecoder().decode([String].self, from: WireJSONEncoder().encode(strings)) == strings)
    }

    @Test func sortedKeysFollowUTF8ByteOrderAsFoundation() throws {
        let keys = ["a_b", "ab", "aB", "a10", "a9", "B", "a", "é", "Z_", "_z", "A", "b", "", "a\u{0}", "😀", "\u{FFFF}"]
        let object = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        #expect(try FoundationParity.wireBytes(object) == (try FoundationParity.foundationBytes(object)))
    }

    @Test func aKeyEncodedTwiceKeepsTheLaterValueAsFoundation() throws {
        struct Twice: Encodable {
            enum CodingKeys: String, CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(1, forKey: .b)
                try container.encode("first", forKey: .a)
                try container.encode("second", forKey: .a)
            }
        }
        let wire = try FoundationParity.wireBytes(Twice())
        #expect(wire == #"{"a":"second","b":1}"#)
        #expect(wire == (try FoundationParity.foundationBytes(Twice())))
    }

    @Test func nestedContainersSuperEncodersAndEmptyValuesMatchFoundation() throws {
        struct Empty: Encodable { func encode(to encoder: any Encoder) throws {} }
        struct Nested: Encodable {
            enum CodingKeys: String, CodingKey { case inner, list, empty, parent }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                var list = container.nestedUnkeyedContainer(forKey: .list)
                var inner = container.nestedContainer(keyedBy: CodingKeys.self, forKey: .inner)
                try list.encode(1)
                var deeper = list.nestedContainer(keyedBy: CodingKeys.self)
                try deeper.encodeNil(forKey: .empty)
                try inner.encode(true, forKey: .list)
                try container.encode(Empty(), forKey: .empty)
                try Empty().encode(to: container.superEncoder(forKey: .parent))
                try list.encode(Optional<Int>.none)
            }
        }
        #expect(try FoundationParity.wireBytes(Nested()) == (try FoundationParity.foundationBytes(Nested())))
        #expect(throws: EncodingError.self) { try WireJSONEncoder().encode(Empty()) }
    }

    @Test func nonFiniteNumbersAreRejectedWithFoundationsError() throws {
        struct Holder: Encodable { var values: [Double]; var x: Double }
        for bad in [Double.nan, .infinity, -.infinity] {
            for holder in [Holder(values: [1, bad], x: 0), Holder(values: [], x: bad)] {
                let wirePath = path { try WireJSONEncoder().encode(holder) }
                let foundationPath = path { try FoundationParity.foundationBytes(holder) }
                #expect(wirePath != nil)
                #expect(wirePath == foundationPath)
            }
        }
        #expect(throws: ProtocolError.self) {
            try JSONEnvelopeCodec().encode(SamplePayloads.envelope("signal", SignalPayload(symbol: "A", side: .buy, confidence: .nan)))
        }
    }

    private func path(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let EncodingError.invalidValue(_, context) {
            return context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func seededRandomPayloadsMatchFoundation() throws {
        var generator = SeededGenerator(seed: 2024)
        func double() -> Double {
            switch Int.random(in: 0 ..< 4, using: &generator) {
            case 0: Double(Int.random(in: 1 ... 10_000_000, using: &generator)) / 100
            case 1: Double.random(in: 0.000001 ... 100_000, using: &generator)
            case 2: Double(Int.random(in: 1 ... 1000, using: &generator))
            default: Double(bitPattern: generator.next() >> 2 | 0x3000_0000_0000_0000)
            }
        }
        func decimal() -> WireDecimal {
            Bool.random(using: &generator) ? WireDecimal(units: Int64(bitPattern: generator.next()))
                : WireDecimal(units: Int64.random(in: 1 ... 10_000_000_000_000, using: &generator))
        }
        func text() -> String {
            let pieces = ["BTC", "-", "USD", "é", "\"", "\\", "/", "\n", "\u{1}", "😀", " ", "x"]
            return (0 ..< Int.random(in: 1 ... 6, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
        }
        for _ in 0 ..< 300 {
            let side: Side = Bool.random(using: &generator) ? .buy : .sell
            let fills = (0 ..< Int.random(in: 0 ... 3, using: &generator)).map { _ in
                FillPayload(orderId: text(), clientOrderId: text(), account: text(), symbol: text(), side: side, price: decimal(), qty: decimal(), fee: decimal())
            }
            let report = OrderReport(orderId: text(), clientOrderId: text(), account: text(), symbol: text(), side: side,
                                     type: Bool.random(using: &generator) ? .limit : .market, status: OrderStatus.allCases.randomElement(using: &generator) ?? .open,
                                     qty: decimal(), filledQty: decimal(), avgPrice: Bool.random(using: &generator) ? decimal() : nil, fills: fills,
                                     reason: Bool.random(using: &generator) ? text() : nil, reasonCode: nil)
            try Parity().check(SamplePayloads.envelope("order.submit.ok", report, parent: Bool.random(using: &generator) ? text() : nil))
            let signal = SignalPayload(symbol: text(), side: side, confidence: double(), note: Bool.random(using: &generator) ? text() : nil)
            try Parity().check(SamplePayloads.envelope("signal", signal))
        }
    }
}
