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
}
