import Testing
@testable import Trading

@Suite struct OrderSizerTests {
    @Test func defaultsSizeOnePercentOfCapital() {
        // min(10000 · 0.01, 10000 · 0.2) / 50000 = 100 / 50000 = 0.002, exactly
        #expect(OrderSizer().size(capitalQuote: 10_000, price: 50_000) == 0.002)
    }

    @Test func exposureCapsTheOrder() {
        // min(10000 · 0.5, 10000 · 0.2) / 50000 = 2000 / 50000 = 0.04
        let sizer = OrderSizer(orderSizePct: 0.5, maxInventoryExposurePct: 0.2)
        #expect(sizer.size(capitalQuote: 10_000, price: 50_000) == 0.04)
    }

    @Test func sizesRoundDownToWholeLots() {
        // 100 / 30000 = 0.00333333…: 0.00333333 at 10⁻⁸, 0.003 in lots of 0.001 (never up to 0.004).
        #expect(OrderSizer().size(capitalQuote: 10_000, price: 30_000) == 0.00333333)
        #expect(OrderSizer().size(capitalQuote: 10_000, price: 30_000, lot: 0.001) == 0.003)
    }

    @Test func aBudgetThatIsExactInDecimalIsNotShavedByBinaryRounding() {
        // 100 × 0.29 is 28.999999999999996 in binary; exactly it is 29, so 29 whole units.
        let sizer = OrderSizer(orderSizePct: 0.29, maxInventoryExposurePct: 1)
        #expect(sizer.size(capitalQuote: 100, price: 1, lot: 1) == 29)
    }

    @Test(arguments: [(Money(-1), Price(100)), (0, 100), (1000, 0), (1000, -5)])
    func invalidInputsGiveZero(capital: Money, price: Price) {
        #expect(OrderSizer().size(capitalQuote: capital, price: price) == 0)
    }

    @Test func invalidFractionsGiveZero() {
        #expect(OrderSizer(orderSizePct: .nan).size(capitalQuote: 1000, price: 10) == 0)
        #expect(OrderSizer(orderSizePct: -0.1).size(capitalQuote: 1000, price: 10) == 0)
        #expect(OrderSizer().size(capitalQuote: 1000, price: 10, lot: 0) == 0)
    }
}
