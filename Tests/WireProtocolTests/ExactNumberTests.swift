import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

/// Quantities, prices and amounts cross the wire exactly: read from the number's text, written
/// as the shortest exact decimal, and refused with the field and the value when not exact.
@Suite struct ExactNumberTests {
    let codec = JSONEnvelopeCodec()

    static func submit(qty: String) -> Data {
        Data((#"{"id":"m-1","parent_id":null,"source":"s","trace_id":"\#(SamplePayloads.traceId)","ts":1,"type":"order.submit","v":1,"#
            + #""payload":{"account":"desk","client_order_id":"c-1","qty":\#(qty),"side":"buy","symbol":"BTC-USD","type":"market"}}"#).utf8)
    }

    @Test func aQuantityIsReadAndWrittenWithExactlyItsDigits() throws {
        let order = try codec.decode(OrderSubmit.self, from: Self.submit(qty: "0.23364996")).payload
        #expect(order.qty == WireDecimal(units: 23_364_996))
        #expect(Quantity(wire: order.qty) == Quantity(raw: 23_364_996))
        let text = String(decoding: try codec.encode(SamplePayloads.envelope("order.submit", order)), as: UTF8.self)
        #expect(text.contains(#""qty":0.23364996,"#))
        // A sum of exact values is written exactly, where Doubles would write 0.30000000000000004.
        let sum = Quantity(0.1) + Quantity(0.2)
        let report = OrderSubmit(clientOrderId: "c", account: "a", symbol: "s", side: .buy, type: .market, qty: sum.wire)
        #expect(String(decoding: try codec.encode(SamplePayloads.envelope("order.submit", report)), as: UTF8.self).contains(#""qty":0.3,"#))
    }

    @Test(arguments: ["1e-300", "0.000000001", "0.30000000000000004", "92233720368.54775808"])
    func aQuantityThatIsNotExactIsRefusedNamingTheFieldAndTheValue(qty: String) {
        #expect {
            _ = try codec.decode(OrderSubmit.self, from: Self.submit(qty: qty))
        } throws: { error in
            guard let error = error as? ProtocolError else { return false }
            return error.code == .malformedJSON && error.message.contains("payload.qty") && error.message.contains(qty)
        }
    }

    /// Decimal texts of every shape the one-pass reading takes or leaves (up to 20 digits, the
    /// point anywhere, a sign, an exponent) read as Foundation's `Decimal` says they should:
    /// the value in units of 10⁻⁸ when it is a whole number of them within ±`Int64.max`, else nil.
    @Test func decimalTextsReadAsFoundationsDecimalSaysTheyShould() {
        var generator = SystemRandomNumberGenerator()
        let edges = ["92233720368.54775807", "-92233720368.54775808", "92233720368.54775808", "999999999999999999", "99999999999.99999999",
                     "0.00000001", "0.000000010", "0.000000001", "1.", ".5", "-0", "00012.5", "123456789012345678", "1234567890123456789"]
        var texts = edges
        for _ in 0 ..< 3_000 {
            let digitCount = Int.random(in: 1 ... 20, using: &generator)
            var text = String((0 ..< digitCount).map { _ in Character(String(Int.random(in: 0 ... 9, using: &generator))) })
            if Bool.random(using: &generator) { text.insert(".", at: text.index(text.startIndex, offsetBy: Int.random(in: 0 ... digitCount, using: &generator))) }
            if Bool.random(using: &generator) { text = "-" + text }
            if Int.random(in: 0 ..< 8, using: &generator) == 0 {
                text += (text.hasSuffix(".") ? "0e" : "e") + "\(Int.random(in: -12 ... 12, using: &generator))"
            }
            texts.append(text)
        }
        for text in texts {
            #expect(WireDecimal(text)?.units == Self.referenceUnits(text), "\(text)")
        }
    }

    /// `text` × 10⁸ through Foundation's `Decimal` (38 significant digits, exact for these texts).
    static func referenceUnits(_ text: String) -> Int64? {
        guard !text.hasSuffix("."), !text.hasPrefix("."), !text.hasPrefix("-."),
              let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            // Foundation does not read these; the same digits with a zero added must give the same value.
            let padded = text.hasSuffix(".") ? text + "0" : text.replacingOccurrences(of: ".", with: "0.")
            return padded == text ? nil : referenceUnits(padded)
        }
        var scaled = value * Decimal(100_000_000)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        // The range is symmetric: ±92,233,720,368.54775807 (Int64.min's units are refused).
        guard rounded == scaled, rounded >= Decimal(-Int64.max), rounded <= Decimal(Int64.max) else { return nil }
        return Int64(rounded.description)
    }
}
