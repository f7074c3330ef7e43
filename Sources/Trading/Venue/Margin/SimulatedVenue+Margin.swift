/// A change an order would make to a margin account, for checking it before it happens.
struct MarginChange {
    var symbol: Int
    /// Base the fill adds (negative for a sell); 0 for a resting order.
    var base: Quantity = 0
    /// Quote the fill moves, fee included (negative for a buy); 0 for a resting order.
    var cash: Money = 0
    /// Unfilled quantity a resting order adds.
    var pendingBuy: Quantity = 0
    var pendingSell: Quantity = 0
}

extension SimulatedVenue {
    /// The margin figures of `account` marked at the current mids, nil for an account without
    /// margin terms (or unknown).
    public func margin(account: String) -> MarginState? {
        accountIndex[account].flatMap { margin(account: $0) }
    }

    /// The margin figures of account number `account`, with `change` applied when given; nil
    /// for a spot account or past the fixed-point range.
    func margin(account: Int, applying change: MarginChange? = nil) -> MarginState? {
        guard let terms = marginTerms[account], let collateral = collateralAsset[account] else { return nil }
        var cash = Money(same: holdings[holdingSlot(account: account, asset: collateral)])
        var legs: [MarginLeg] = []
        for s in symbols.indices {
            let slot = slot(account: account, symbol: s), held = reservations[slot]
            var leg = MarginLeg(symbol: symbols[s], base: positionSlots[slot].base, pendingBuy: held.buyQty, pendingSell: held.base,
                                mark: touches[s]?.mid ?? positionSlots[slot].averageEntryPrice)
            if let change, change.symbol == s {
                guard let base = try? leg.base.adding(change.base), let moved = try? cash.adding(change.cash) else { return nil }
                leg.base = base
                cash = moved
                leg.pendingBuy += change.pendingBuy
                leg.pendingSell += change.pendingSell
            }
            guard leg.mark.isPositive else { continue }
            legs.append(leg)
        }
        return MarginState(collateral: cash, asset: assets.names[collateral], legs: legs, terms: terms)
    }

    /// Why a margin account cannot take the order, or nil if it can: the order is refused
    /// when it raises the margin used and the margin used afterwards would exceed the equity
    /// afterwards (the fee and any price worse than the mark come off the equity). An order
    /// that lowers the margin used (a reduction) always passes.
    func marginShortfall(_ request: OrderRequest, account: Int, change: MarginChange) -> TradingError? {
        guard let before = margin(account: account) else { return nil }
        guard let after = margin(account: account, applying: change) else { return VenueRejection.outOfRange(request) }
        guard after.marginUsed > before.marginUsed, after.marginUsed > after.equity else { return nil }
        let required = (after.marginUsed - before.marginUsed) + (before.equity - after.equity)
        return VenueRejection.insufficientMargin(request, required: required, available: before.availableMargin,
                                                 equity: before.equity, used: before.marginUsed, leverage: before.maxLeverage,
                                                 asset: before.collateralAsset)
    }
}
