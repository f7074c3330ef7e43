extension SimulatedVenue {
    /// The accounts whose figures `symbol`'s mark enters, in configuration order: those holding
    /// its base asset (the row's unrealized PnL), with a trading record in it (a margin leg's
    /// equity and maintenance) or with resting orders in it (a margin leg's initial margin).
    /// For any other account a move of the mark changes nothing but the `mark` shown on its flat
    /// row. Empty for an unlisted symbol.
    public func accountsMarked(by symbol: String) -> [String] {
        guard let s = symbolIndex[symbol] else { return [] }
        let base = assets.bySymbol[s].base
        return accountNames.indices.compactMap { a in
            let index = slot(account: a, symbol: s), held = reservations[index]
            let exposed = !holdings[holdingSlot(account: a, asset: base)].isZero || !positionSlots[index].base.isZero
                || !held.buyQty.isZero || !held.base.isZero || !held.quote.isZero
            return exposed ? accountNames[a] : nil
        }
    }
}
