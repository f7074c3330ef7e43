extension OrderSizer {
    /// Order quantity in base units, further capped so the inventory never exceeds the
    /// exposure limit: |currentBase| × price + size × price ≤ capital ×
    /// maxInventoryExposurePct. Returns 0 once the inventory is at or beyond the cap.
    ///
    /// `size(capitalQuote:price:lot:)` caps one order at the exposure limit but never looks
    /// at what is already held, so repeated buys could pile up without bound; this adds the
    /// cumulative check.
    ///
    /// Without `side` every order is assumed to add exposure, as the formula above reads.
    /// With `side`, the cap applies to the inventory after the trade, |base ± size| ×
    /// price, so an order that reduces the position is never blocked by it (a quoter at
    /// its cap can still quote the side that unwinds).
    ///
    /// Exact: the cap in base units is capital × maxInventoryExposurePct ÷ price rounded
    /// down to 10⁻⁸, and the size is rounded down to whole `lot`s, so the inventory after
    /// the order is never worth more than the cap. Returns 0 rather than a negative size
    /// for unusable inputs, like `size(capitalQuote:price:lot:)`.
    public func size(capitalQuote: Money, price: Price, currentBase: Quantity, side: Side? = nil,
                     lot: Quantity = Quantity(raw: 1)) -> Quantity {
        let uncapped = size(capitalQuote: capitalQuote, price: price, lot: lot)
        guard uncapped.isPositive, let fractions, let capBudget = try? fractions.exposure.of(capitalQuote, .down),
              let capBase = try? capBudget.units(at: price, .down) else { return .zero }
        let held = currentBase.magnitude
        let extends = side.map { $0 == .buy ? !currentBase.isNegative : !currentBase.isPositive } ?? true
        // Extending the position (or opening one): room is cap − held. Against it: the order
        // first unwinds `held`, then may open up to the cap the other way.
        guard let room = extends ? try? capBase.subtracting(held) : try? held.adding(capBase) else { return .zero }
        return max(.zero, min(uncapped, room.roundedDown(toMultipleOf: lot)))
    }
}
