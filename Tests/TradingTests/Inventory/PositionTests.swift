import Testing
@testable import Trading

@Suite struct PositionTests {
    private func fill(_ side: Side, _ qty: Quantity, at price: Price, fee: Money = 0) -> Fill {
        Fill(orderId: "O-1", clientOrderId: "c", account: "desk", symbol: "BTC-USD",
             side: side, price: price, qty: qty, fee: fee, timestampMicros: 0)
    }

    @Test func averageEntryAndRealizedPnlThroughAFlip() {
        var position = Position(account: "desk", symbol: "BTC-USD", quote: 1000)
        position.apply(fill(.buy, 1, at: 100, fee: 0.1))
        // quote 1000 − (100 + 0.1) = 899.9; avg 100
        #expect(position.base == 1 && position.quote == 899.9 && position.averageEntryPrice == 100)
        position.apply(fill(.buy, 3, at: 120))
        // avg (1·100 + 3·120) / 4 = 115
        #expect(position.base == 4 && position.averageEntryPrice == 115)
        position.apply(fill(.sell, 2, at: 130))
        // realized (130 − 115) · 2 = 30; avg unchanged on a reduction
        #expect(position.base == 2 && position.realizedPnl == 30 && position.averageEntryPrice == 115)
        position.apply(fill(.sell, 5, at: 110))
        // closes 2: (110 − 115) · 2 = −10 → 20; the other 3 open a short at 110
        #expect(position.base == -3 && position.realizedPnl == 20 && position.averageEntryPrice == 110)
        position.apply(fill(.buy, 1, at: 100))
        // short reduction: (100 − 110) · 1 · (−1) = +10 → 30
        #expect(position.base == -2 && position.realizedPnl == 30 && position.averageEntryPrice == 110)
        // unrealized at 105: (105 − 110) · (−2) = +10
        #expect(position.unrealizedPnl(mark: 105) == 10)
        position.apply(fill(.buy, 2, at: 90))
        // (90 − 110) · 2 · (−1) = +40 → 70; flat again, no entry price
        #expect(position.base == 0 && position.realizedPnl == 70 && position.averageEntryPrice == 0)
        // quote: 899.9 − 360 + 260 + 550 − 100 − 180 = 1069.9 = 1000 + 70 realized − 0.1 fees
        #expect(position.quote == 1069.9)
        #expect(position.feesPaid == 0.1)
    }

    @Test func sellFeeComesOutOfProceeds() {
        var position = Position(account: "desk", symbol: "BTC-USD", base: 2, quote: 0, averageEntryPrice: 50)
        position.apply(fill(.sell, 1.5, at: 60, fee: 0.09))
        // quote 0 + 1.5 · 60 − 0.09 = 89.91; realized (60 − 50) · 1.5 = 15, fee kept apart
        #expect(position.quote == 89.91 && position.realizedPnl == 15 && position.feesPaid == 0.09)
        #expect(position.base == 0.5)
    }

    @Test func totalValueAndUnrealizedPnl() {
        let position = Position(account: "desk", symbol: "BTC-USD", base: 2, quote: 100, averageEntryPrice: 40)
        #expect(position.totalValue(mark: 50) == 200)  // 100 + 2 · 50
        #expect(position.unrealizedPnl(mark: 50) == 20)  // (50 − 40) · 2
    }

    @Test func roundTripLeavesNoFloatingPointDust() {
        var position = Position(account: "desk", symbol: "BTC-USD", quote: 100)
        position.apply(fill(.buy, 0.1, at: 10))
        position.apply(fill(.buy, 0.2, at: 10))
        position.apply(fill(.sell, 0.3, at: 10))
        // 0.1 + 0.2 − 0.3 is 5.5e-17 in Double; the position must read as flat.
        #expect(position.base == 0 && position.averageEntryPrice == 0)
    }

    @Test func ignoresMalformedFills() {
        var position = Position(account: "desk", symbol: "BTC-USD", base: 1, quote: 10, averageEntryPrice: 5)
        let before = position
        position.apply(fill(.buy, -1, at: 10))
        position.apply(fill(.buy, 1, at: -10))
        position.apply(fill(.sell, 0, at: 10))
        position.apply(fill(.sell, 1, at: 10, fee: -0.01))
        // Past the range: the notional of 92,000,000,000 × 2 cannot be held.
        position.apply(fill(.buy, 2, at: 92_000_000_000))
        #expect(position == before)
    }
}
