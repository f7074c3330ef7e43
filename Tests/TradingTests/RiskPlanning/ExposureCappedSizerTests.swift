import Testing
@testable import Trading

@Suite struct ExposureCappedSizerTests {
    // Capital 10000, 1 % per order, inventory worth at most 20 % of capital.
    // One order is min(100, 2000) quote; inventory may be worth at most 2000 quote.
    static let sizer = OrderSizer(orderSizePct: 0.01, maxInventoryExposurePct: 0.2)

    @Test func flatInventoryGivesTheUncappedSize() {
        // 100 / 50000 = 0.002
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0) == 0.002)
    }

    @Test func theOrderShrinksToTheRoomLeftUnderTheCap() {
        // 0.039 · 50000 = 1950 held; 2000 − 1950 = 50 quote of room → 0.001
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.039) == 0.001)
        // A short counts by its size too.
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: -0.039) == 0.001)
        // 0.03 held (1500) leaves 500 of room, more than one order: the order is not cut.
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.03) == 0.002)
    }

    @Test func atOrBeyondTheCapNothingMoreIsBought() {
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.04) == 0)
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.1) == 0)
        // One 10⁻⁸ below the cap leaves exactly one 10⁻⁸ of room, which is less than a lot.
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.03999999) == 0.00000001)
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.03999999, lot: 0.001) == 0)
    }

    @Test func withASideAnOrderThatUnwindsIsNotBlocked() {
        // At the cap long: buys stop, sells keep their full size.
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.04, side: .buy) == 0)
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: 0.04, side: .sell) == 0.002)
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: -0.039, side: .sell) == 0.001)
    }

    @Test func theInventoryAfterTheOrderNeverExceedsTheCap() throws {
        // Random capital, price, holding and lot: (|held| + size) × price ≤ capital × 20 %, exactly.
        var rng = SeededGenerator(seed: 41)
        for _ in 0..<2_000 {
            let capital = Money(raw: Int64.random(in: 1...1_000_000_000_000_000, using: &rng))
            let price = Price(raw: Int64.random(in: 1...10_000_000_000_000, using: &rng))
            let held = Quantity(raw: Int64.random(in: -1_000_000_000...1_000_000_000, using: &rng))
            let lot = Quantity(raw: [1, 1_000, 100_000, 1_000_000].randomElement(using: &rng)!)
            let size = Self.sizer.size(capitalQuote: capital, price: price, currentBase: held, lot: lot)
            #expect(!size.isNegative && size.isMultiple(of: lot))
            guard size.isPositive else { continue }
            let after = try price.notional(held.magnitude + size, .up)
            #expect(ExactFraction(0.2)!.admits(after, of: capital), "capital \(capital) price \(price) held \(held) size \(size)")
        }
    }

    @Test func invalidInputsGiveZero() {
        #expect(Self.sizer.size(capitalQuote: -1, price: 50_000, currentBase: 0) == 0)
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 0, currentBase: 0) == 0)
        #expect(Self.sizer.size(capitalQuote: 10_000, price: 50_000, currentBase: Quantity(raw: .max)) == 0)
    }
}
