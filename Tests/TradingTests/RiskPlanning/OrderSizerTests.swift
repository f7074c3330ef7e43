import Testing
@testable import Trading

@Suite struct OrderSizerTests {
    @Test func defaultsSizeOnePercentOfCapital() {
        // min(10000 · 0.01, 10000 · 0.2) / 50000 = 100 / 50000 = 0.002
        #expect(close(OrderSizer().size(capitalQuote: 10_000, price: 50_000), 0.002))
    }

    @Test func exposureCapsTheOrder() {
        // min(10000 · 0.5, 10000 · 0.2) / 50000 = 2000 / 50000 = 0.04
        let sizer = OrderSizer(orderSizePct: 0.5, maxInventoryExposurePct: 0.2)
        #expect(close(sizer.size(capitalQuote: 10_000, price: 50_000), 0.04))
    }

    @Test(arguments: [(Double.nan, 100.0), (-1, 100), (0, 100), (1000, 0), (1000, -5), (1000, .infinity), (.infinity, 100)])
    func invalidInputsGiveZero(capital: Double, price: Double) {
        #expect(OrderSizer().size(capitalQuote: capital, price: price) == 0)
    }

    @Test func invalidFractionsGiveZero() {
        #expect(OrderSizer(orderSizePct: .nan).size(capitalQuote: 1000, price: 10) == 0)
        #expect(OrderSizer(orderSizePct: -0.1).size(capitalQuote: 1000, price: 10) == 0)
    }
}
