import Testing
import Trading
@testable import Tracing
import WireFormat
import WireProtocol

/// `hedgectl trace` names what a liquidation did, the resting orders it cancelled included,
/// read from the payload exactly as the MarketMaker encodes it.
@Suite struct LiquidationSummaryTests {
    @Test func theSummaryNamesTheOrderTheMarginAndTheCancelledOrders() throws {
        let margin = try #require(MarginState(collateral: 2_498.350_15, asset: "USD", legs: [MarginLeg(symbol: "BTC-USD", base: -15, mark: 170)],
                                              terms: MarginTerms(maxLeverage: 2, maintenanceBps: 500)))
        let order = OrderReport(orderId: "O-7", clientOrderId: "liquidation-O-7", account: "desk", symbol: "BTC-USD", side: .buy,
                                type: .market, status: .filled, qty: 15, filledQty: 15, avgPrice: 170.01, fills: [], reason: nil, reasonCode: nil)
        let payload = LiquidationPayload(account: "desk", symbol: "BTC-USD", order: order, margin: MarginPayload(margin),
                                         cancelled: [CancelledOrderPayload(orderId: "O-5", clientOrderId: "resting-cover", side: .buy,
                                                                           price: 50, remainingQty: 0.75)])
        let codec = JSONEnvelopeCodec()
        let data = try codec.encode(Envelope.make(type: LiquidationPayload.eventType, source: "market-maker", trace: .root(), payload: payload))
        let summary = EventSummary(try codec.decode(JSONValue.self, from: data))
        #expect(summary.route == "market-maker ▶ liquidation")
        // Equity 2,498.35015 − 15 × 170 = −51.64985; maintenance 2,550 × 5 % = 127.5.
        #expect(summary.text == "desk buy 15.0000 BTC-USD @ 170.01: equity -51.65 below maintenance 127.50; cancelled O-5 (resting-cover) buy 0.7500",
                "\(summary.text)")
    }
}
