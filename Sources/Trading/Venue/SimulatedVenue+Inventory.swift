extension SimulatedVenue {
    /// The inventory of `account` in `symbol`: position, pending resting-order
    /// exposure, effective inventory, PnL at the current mid and the check against
    /// `limits`. Nil if the account or symbol is unknown.
    public func inventory(account: String, symbol: String, limits: InventoryLimits = InventoryLimits()) -> InventoryState? {
        guard let a = accountIndex[account], let s = symbolIndex[symbol] else { return nil }
        return inventory(slot: slot(account: a, symbol: s), symbol: s, limits: limits)
    }

    /// Every (account, symbol) inventory, account by account in configuration order.
    public func inventories(limits: InventoryLimits = InventoryLimits()) -> [InventoryState] {
        var all: [InventoryState] = []
        all.reserveCapacity(positionSlots.count)
        for index in positionSlots.indices {
            all.append(inventory(slot: index, symbol: index % symbols.count, limits: limits))
        }
        return all
    }

    /// The reservation already tracks unfilled resting quantities, so this is O(1) and
    /// never walks the book.
    func inventory(slot: Int, symbol: Int, limits: InventoryLimits) -> InventoryState {
        inventory(slot: slot, symbol: symbol, maxInventory: limits.maxInventory(for: symbols[symbol]))
    }

    /// The same with the symbol's limit looked up by the caller, once for every account.
    func inventory(slot: Int, symbol: Int, maxInventory: Quantity?) -> InventoryState {
        let held = reservations[slot]
        return InventoryState(
            evaluating: positionSlots[slot], pendingBuyQty: held.buyQty, pendingSellQty: held.base,
            mark: touches[symbol]?.mid, maxInventory: maxInventory)
    }
}
