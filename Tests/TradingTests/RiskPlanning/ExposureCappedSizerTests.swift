import Testing
@testable import Trading

@Suite struct ExposureCappedSizerTests {
    // Capital 10000, 1 % per order, inventory worth at most 20 % of capital.
    // One order is min(100, 2000) quote; inventory may be worth at most 2000 quote.
    static let sizer = OrderSizer(orderSizePct: 0.01, maxInventoryExposurePct: 0.2)

    @Test func flatInventoryGivesTheUncappedSize() {
        // 100 / 50000 = 0.002
        #expect(close(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0), 0.002))
    }

    @Test func theOrderShrinksToTheRoomLeftUnderTheCap() {
        // 0.039 · 50000 = 1950 held; 2000 − 1950 = 50 quote of room → 0.001
        #expect(close(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.039), 0.001))
        // A short counts by its size too.
        #expect(close(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: -0.039), 0.001))
        // 0.03 held (1500) leaves 500 of room, more than one order: the order is not cut.
        #expect(close(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.03), 0.002))
    }

    @Test func atOrBeyondTheCapNothingMoreIsBought() {
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.04) == 0)
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.1) == 0)
    }

    @Test func withASideAnOrderThatUnwindsIsNotBlocked() {
        // At the cap long: buys stop, sells keep their full size.
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.04, side: .buy) == 0)
        #expect(close(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.04, side: .sell), 0.002))
        #expect(close(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: -0.039, side: .sell), 0.001))
    }

    @Test func invalidInputsGiveZero() {
        for base in [Double.nan, .infinity] {
            #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: base) == 0)
        }
        #expect(Self.sizer.size(capitalQuote: -1, price: 50_000, currentBase: 0) == 0)
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 0, currentBase: 0) == 0)
    }
}
