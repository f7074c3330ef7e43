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
    /// The margin figures of `account` when the venue quotes every symbol in one asset (its
    /// one margin book), marked at the current mids; nil for a spot or unknown account, or
    /// when there are several quote assets (see `margins(account:)`).
    public func margin(account: String) -> MarginState? {
        guard collateralAssets.count == 1, let a = accountIndex[account] else { return nil }
        return margin(account: a, book: collateralAssets[0])
    }

    /// The margin figures of `account` in each quote asset (each its own book: the positions in
    /// the symbols quoted in it against the account's balance of it), in asset order; empty
    /// for a spot or unknown account.
    public func margins(account: String) -> [MarginState] {
        guard let a = accountIndex[account] else { return [] }
        return collateralAssets.compactMap { margin(account: a, book: $0) }
    }

    /// `margin(account:)` and `margins(account:)` at once, each book worked out once: an
    /// account's event and `inventory.get` report both.
    public func marginBooks(account: String) -> (margin: MarginState?, margins: [MarginState]) {
        let margins = margins(account: account)
        return (collateralAssets.count == 1 ? margins.first : nil, margins)
    }

    /// The margin figures of `account` in the book of quote asset `collateral`, nil for a spot
    /// or unknown account or an asset no symbol is quoted in.
    public func margin(account: String, collateral: String) -> MarginState? {
        guard let a = accountIndex[account], let asset = assets[collateral], !assets.quoteOf[asset].isEmpty else { return nil }
        return margin(account: a, book: asset)
    }

    /// The margin figures of account number `account` in the book of quote asset `book`, with
    /// `change` applied when given (its symbol must be quoted in `book`); nil for a spot
    /// account or past the fixed-point range.
    func margin(account: Int, book: Int, applying change: MarginChange? = nil) -> MarginState? {
        guard let (cash, legs, terms) = marginBook(account: account, book: book, applying: change) else { return nil }
        return MarginState(collateral: cash, asset: assets.names[book], legs: legs, terms: terms)
    }

    /// Equity, margin used and maintenance margin of that book, as `margin` reports them, without
    /// its liquidation prices; nil where `margin` is nil. The legs are added as they are read.
    func marginTotals(account: Int, book: Int, applying change: MarginChange? = nil) -> (equity: Money, used: Money, maintenance: Money)? {
        guard let terms = marginTerms[account] else { return nil }
        let symbols = assets.quoteOf[book]
        // The change moves the collateral only when its symbol is quoted in this book.
        let change = change.flatMap { symbols.contains($0.symbol) ? $0 : nil }
        guard let cash = try? Money(same: holdings[holdingSlot(account: account, asset: book)]).adding(change?.cash ?? 0) else { return nil }
        var totals = MarginTotals(collateral: cash)
        for s in symbols {
            // A flat leg with no resting orders adds nothing (see `MarginTotals.add`): it is
            // passed over before its mark is looked up.
            if change?.symbol != s {
                let slot = slot(account: account, symbol: s), held = reservations[slot]
                if positionSlots[slot].base.isZero && held.buyQty.isZero && held.base.isZero { continue }
            }
            guard let leg = marginLeg(account: account, symbol: s, applying: change) else { return nil }
            guard leg.mark.isPositive else { continue }
            do { try totals.add(leg, terms: terms) } catch { return nil }
        }
        return (totals.equity, totals.used, totals.maintenance)
    }

    /// The collateral, legs and terms of that book; nil for a spot account, or when `change`
    /// takes the base or the cash out of range.
    private func marginBook(account: Int, book: Int, applying change: MarginChange?) -> (cash: Money, legs: [MarginLeg], terms: MarginTerms)? {
        guard let terms = marginTerms[account] else { return nil }
        var cash = Money(same: holdings[holdingSlot(account: account, asset: book)])
        let quoted = assets.quoteOf[book]
        // Room for every leg at once: grown one leg at a time, the array was made four times over
        // for an account of eight symbols.
        var legs: [MarginLeg] = []
        legs.reserveCapacity(quoted.count)
        for s in quoted {
            guard let leg = marginLeg(account: account, symbol: s, applying: change) else { return nil }
            if let change, change.symbol == s {
                guard let moved = try? cash.adding(change.cash) else { return nil }
                cash = moved
            }
            guard leg.mark.isPositive else { continue }
            legs.append(leg)
        }
        return (cash, legs, terms)
    }

    /// The account's leg in symbol `s`, valued at the mid (the average entry price before the
    /// first quote), with `change` applied when it is of that symbol; nil when the change takes
    /// the base out of range.
    private func marginLeg(account: Int, symbol s: Int, applying change: MarginChange?) -> MarginLeg? {
        let slot = slot(account: account, symbol: s), held = reservations[slot]
        var leg = MarginLeg(symbol: symbols[s], base: positionSlots[slot].base, pendingBuy: held.buyQty, pendingSell: held.base,
                            mark: touches[s]?.mid ?? positionSlots[slot].averageEntryPrice)
        if let change, change.symbol == s {
            guard let base = try? leg.base.adding(change.base) else { return nil }
            leg.base = base
            leg.pendingBuy += change.pendingBuy
            leg.pendingSell += change.pendingSell
        }
        return leg
    }

    /// Why a margin account cannot take the order, or nil if it can. Only the book of the
    /// order's quote asset is checked (no other book's collateral or positions move): the
    /// order is refused when it raises that book's margin used and the margin used afterwards
    /// would exceed the equity afterwards (the fee and any price worse than the mark come off
    /// the equity). An order that lowers the margin used (a reduction) always passes. Only the
    /// totals are worked out for the check, those before the order only when the totals after
    /// it do not settle it; a refusal's message reads the book's full figures.
    func marginShortfall(_ request: OrderRequest, account: Int, change: MarginChange) -> TradingError? {
        let book = assets.bySymbol[change.symbol].quote
        let after = marginTotals(account: account, book: book, applying: change)
        // Margin used within the equity afterwards passes, whatever the book was before.
        if let after, after.used <= after.equity { return nil }
        // A book already out of range is not checked; an order that would take it there is refused.
        guard let before = marginTotals(account: account, book: book) else { return nil }
        guard let after else { return VenueRejection.outOfRange(request) }
        guard after.used > before.used, let figures = margin(account: account, book: book) else { return nil }
        // Each total is in range, but their differences added need not be: such an order needs
        // more margin than any amount can say, and is refused as out of range, not trapped on.
        guard let required = try? (after.used - before.used).adding(before.equity.subtracting(after.equity)) else {
            return VenueRejection.outOfRange(request)
        }
        return VenueRejection.insufficientMargin(request, required: required, available: figures.availableMargin,
                                                 equity: figures.equity, used: figures.marginUsed, leverage: figures.maxLeverage,
                                                 asset: figures.collateralAsset)
    }
}
