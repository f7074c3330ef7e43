/// Sizes an order from capital: a fixed fraction of capital per order, never more than
/// the whole inventory may be worth:
/// min(capital × orderSizePct, capital × maxInventoryExposurePct) / price.
///
/// Exact: the budget (capital × fraction) rounds down to 10⁻⁸ and the size (budget ÷ price)
/// rounds down to whole `lot`s, so size × price never exceeds the budget.
public struct OrderSizer: Sendable, Hashable, Codable {
    /// Fraction of capital one order may use, e.g. 0.01 for 1 %.
    public var orderSizePct: Double
    /// Fraction of capital the inventory may be worth, e.g. 0.2 for 20 %.
    public var maxInventoryExposurePct: Double

    /// Creates a sizer; the defaults are 1 % of capital per order and 20 % exposure.
    public init(orderSizePct: Double = 0.01, maxInventoryExposurePct: Double = 0.2) {
        self.orderSizePct = orderSizePct
        self.maxInventoryExposurePct = maxInventoryExposurePct
    }

    /// Order quantity in base units, in whole `lot`s. Returns 0, never a negative size, when
    /// the capital, price or lot is not positive, a fraction is negative or non-finite, or
    /// the arithmetic would leave the range.
    public func size(capitalQuote: Money, price: Price, lot: Quantity = Quantity(raw: 1)) -> Quantity {
        guard let fractions, capitalQuote.isPositive, price.isPositive, lot.isPositive,
              let budget = try? min(fractions.order, fractions.exposure).of(capitalQuote, .down),
              let units = try? budget.units(at: price, .down) else { return .zero }
        return units.roundedDown(toMultipleOf: lot)
    }

    /// The two fractions exactly, or nil when either is negative or not finite.
    var fractions: (order: ExactFraction, exposure: ExactFraction)? {
        guard let order = ExactFraction(orderSizePct), let exposure = ExactFraction(maxInventoryExposurePct) else { return nil }
        return (order, exposure)
    }
}
