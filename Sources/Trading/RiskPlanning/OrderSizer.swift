/// Sizes an order from capital: a fixed fraction of capital per order, never more than
/// the whole inventory may be worth:
/// min(capital × orderSizePct, capital × maxInventoryExposurePct) / price.
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

    /// Order quantity in base units. Returns 0, never a negative or NaN size, when the
    /// capital or price is not positive and finite or a fraction is negative or non-finite.
    public func size(capitalQuote: Double, price: Double) -> Double {
        guard capitalQuote.isFinite, capitalQuote > 0, price.isFinite, price > 0,
              orderSizePct.isFinite, orderSizePct >= 0,
              maxInventoryExposurePct.isFinite, maxInventoryExposurePct >= 0
        else { return 0 }
        let notional = min(capitalQuote * orderSizePct, capitalQuote * maxInventoryExposurePct)
        return notional / price
    }
}
