import Foundation
import Testing
import Trading
import WireFormat
import WireProtocol

/// `liquidation.<symbol>` carries the resting orders the venue cancelled before the order, and
/// is decoded as strictly as every other payload.
@Suite struct LiquidationPayloadTests {
    static let margin = MarginPayload(try! #require(MarginState(
        collateral: 2_498.350_15, asset: "USD", legs: [MarginLeg(symbol: "BTC-USD", base: -15, mark: 170)],
        terms: MarginTerms(maxLeverage: 2, maintenanceBps: 500))))

    static func envelope() -> Envelope<LiquidationPayload> {
        let order = OrderReport(orderId: "O-7", clientOrderId: "liquidation-O-7", account: "desk", symbol: "BTC-USD", side: .buy,
                                type: .market, status: .filled, qty: 15, filledQty: 15, avgPrice: 170.01, fills: [], reason: nil, reasonCode: nil)
        let cancelled = [CancelledOrderPayload(orderId: "O-5", clientOrderId: "resting-cover", side: .buy, price: 50, remainingQty: 0.75)]
        return Envelope.make(type: LiquidationPayload.eventType, source: "market-maker", trace: .root(),
                             payload: LiquidationPayload(account: "desk", symbol: "BTC-USD", order: order, margin: margin, cancelled: cancelled))
    }

    @Test func theCancelledOrdersTravelWithTheirIdsSideAndRemainingQuantity() throws {
        let codec = JSONEnvelopeCodec()
        let data = try codec.encode(Self.envelope())
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""cancelled":[{"#) && text.contains(#""client_order_id":"resting-cover""#) && text.contains(#""remaining_qty":0.75"#), "\(text)")
        #expect(try codec.decode(LiquidationPayload.self, from: data).payload == Self.envelope().payload)
    }

    @Test func aPayloadWithoutCancelledOrWithABadSideIsRefused() throws {
        let codec = JSONEnvelopeCodec()
        let text = String(decoding: try codec.encode(Self.envelope()), as: UTF8.self)
        let withoutList = text.replacingOccurrences(of: #""cancelled":[{"#, with: #""dropped":[{"#)
        #expect(throws: ProtocolError.self) { try codec.decode(LiquidationPayload.self, from: Data(withoutList.utf8)) }
        let badSide = text.replacingOccurrences(of: #""remaining_qty":0.75,"side":"buy""#, with: #""remaining_qty":0.75,"side":"sideways""#)
        #expect(badSide != text)
        #expect(throws: ProtocolError.self) { try codec.decode(LiquidationPayload.self, from: Data(badSide.utf8)) }
    }
}
