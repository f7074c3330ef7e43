import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

/// The one mapping between the trading library's values and their wire payloads: what each
/// side keeps, what the wire leaves out, and round trips through the codec.
@Suite struct DomainMappingTests {
    static let fill = Fill(orderId: "O-7", clientOrderId: "sig-1", account: "desk", symbol: "BTC-USD", side: .sell,
                           price: 60_012.5, qty: 0.23364996, fee: 14.02, timestampMicros: 1_700_000_000_123_456)

    @Test func aFillSurvivesTheWireExceptItsTimeWhichTheReceiverStamps() throws {
        let payload = FillPayload(Self.fill)
        let envelope = Envelope.make(type: EventType.fill, source: "market-maker", trace: .root(), payload: payload)
        let received = try JSONEnvelopeCodec().decode(FillPayload.self, from: try JSONEnvelopeCodec().encode(envelope)).payload
        #expect(Fill(received, at: Self.fill.timestampMicros) == Self.fill)
        #expect(Fill(received, at: 5).timestampMicros == 5)
        #expect(Execution(received) == Execution(side: .sell, qty: 0.23364996, price: 60_012.5, fee: 14.02))
    }

    @Test func anOrderResultReportsEveryFieldAndItsRejection() {
        let filled = OrderResult(orderId: "O-7", clientOrderId: "sig-1", account: "desk", symbol: "BTC-USD", side: .sell, type: .limit,
                                 status: .partiallyFilled, requestedQty: 0.5, filledQty: 0.23364996, averagePrice: 60_012.5, fills: [Self.fill])
        let report = OrderReport(filled)
        #expect(report.orderId == "O-7" && report.clientOrderId == "sig-1" && report.account == "desk" && report.symbol == "BTC-USD")
        #expect(report.side == .sell && report.type == .limit && report.status == .partiallyFilled)
        #expect(report.qty == 0.5 && report.filledQty == 0.23364996 && report.avgPrice == 60_012.5)
        #expect(report.fills == [FillPayload(Self.fill)] && report.reason == nil && report.reasonCode == nil)
        let refused = OrderResult(orderId: "O-8", clientOrderId: "sig-2", account: "desk", symbol: "BTC-USD", side: .buy, type: .market,
                                  status: .rejected, requestedQty: 9, rejection: TradingError(.invalidQuantity, "qty 9 is above the limit"))
        let refusal = OrderReport(refused)
        #expect(refusal.status == .rejected && refusal.fills.isEmpty && refusal.avgPrice == nil)
        #expect(refusal.reason == "qty 9 is above the limit" && refusal.reasonCode == "invalid_quantity")
    }

    @Test func aPositionRowGivesBackThePositionAndMarksItsPnl() {
        let position = Position(account: "desk", symbol: "ETH-USD", base: 2, quote: 4_000, averageEntryPrice: 3_000,
                                realizedPnl: 12.5, feesPaid: 3.25)
        let marked = PositionPayload(position, mark: 3_100)
        #expect(marked.position == position)
        #expect(marked.unrealizedPnl == position.unrealizedPnl(mark: 3_100)?.wire && marked.mark == 3_100)
        let unmarked = PositionPayload(position, mark: nil)
        #expect(unmarked.unrealizedPnl == 0 && unmarked.mark == nil && unmarked.position == position)
    }
}

extension DomainMappingTests {
    /// A flat row's unrealised PnL is not worked out; it is what the product gives, at any mark
    /// and entry price, as is every other row's.
    @Test func aPositionRowsUnrealisedPnlIsItsProductFlatOrNot() {
        var random = SeededGenerator(seed: 79)
        for _ in 0..<500 {
            let flat = Bool.random(using: &random)
            let base = flat ? Quantity.zero : Quantity(raw: Int64.random(in: -10_000_000_000 ... 10_000_000_000, using: &random))
            let position = Position(account: "a", symbol: "BTC-USD", base: base,
                                    averageEntryPrice: Price(raw: Int64.random(in: 0 ... 10_000_000_000_000, using: &random)))
            let mark = Bool.random(using: &random) ? Price(raw: Int64.random(in: 1 ... 10_000_000_000_000, using: &random)) : nil
            let row = PositionPayload(position, mark: mark)
            #expect(row.unrealizedPnl == (mark.flatMap { position.unrealizedPnl(mark: $0) } ?? 0).wire)
            if flat { #expect(row.unrealizedPnl == Money.zero.wire) }
        }
    }

    @Test func anOrderSubmitAsksTheVenueForTheSameOrder() {
        let limit = OrderSubmit(clientOrderId: "c-2", account: "hedge", symbol: "ETH-USD", side: .sell, type: .limit, qty: 1.25, price: 3_001.5)
        let request = OrderRequest(limit)
        #expect(request.clientOrderId == "c-2" && request.account == "hedge" && request.symbol == "ETH-USD")
        #expect(request.side == .sell && request.type == .limit && request.qty == 1.25 && request.limitPrice == 3_001.5)
        let market = OrderRequest(OrderSubmit(clientOrderId: "c-3", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.1))
        #expect(market.limitPrice == nil && market.type == .market)
    }
}
