extension OrderSizer {
    /// Order quantity in base units, further capped so the inventory never exceeds the
    /// exposure limit: |currentBase| × price + size × price ≤ capital ×
    /// maxInventoryExposurePct. Returns 0 once the inventory is at or beyond the cap.
    ///
    /// `size(capitalQuote:price:)` caps one order at the exposure limit but never looks at
    /// what is already held, so repeated buys could pile up without bound; this adds the
    /// cumulative check.
    ///
    /// Without `side` every order is assumed to add exposure, as the formula above reads.
    /// With `side`, the cap applies to the inventory after the trade, |base ± size| ×
    /// price, so an order that reduces the position is never blocked by it (a quoter at
    /// its cap can still quote the side that unwinds).
    ///
    /// Like `size(capitalQuote:price:)`, returns 0 rather than a negative or NaN size
    /// when any input or fraction is not finite, or capital or price is not positive.
    public func size(capitalQuote: Double, price: Double, currentBase: Double, side: Side? = nil) -> Double {
        let uncapped = size(capitalQuote: capitalQuote, price: price)
        guard uncapped > 0, currentBase.isFinite else { return 0 }
        let capBase = capitalQuote * maxInventoryExposurePct / price
        let held = abs(currentBase)
        guard let side else { return max(0, min(uncapped, capBase - held)) }
        let signed = side.sign * currentBase
        // signed ≥ 0: the order extends the position (or opens one), room is cap − held.
        // signed < 0: it first unwinds `held`, then may open up to the cap the other way.
        let room = signed >= 0 ? capBase - held : held + capBase
        return max(0, min(uncapped, room))
    }
}
