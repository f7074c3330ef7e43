/// One position as an inventory listing shows it: the position (as
/// `SimulatedVenue.position(account:symbol:)` gives it), its symbol's asset pair and mark, and
/// its inventory view.
public struct PositionView: Sendable {
    /// The position, base and quote being the account's balances of the pair's assets.
    public let position: Position
    /// The symbol's base and quote asset.
    public let pair: AssetPair
    /// The symbol's mark (mid of the exact touch); nil before its first quote.
    public let mark: Price?
    /// Position, pending exposure and the check against the limits asked with.
    public let inventory: InventoryState
}

extension SimulatedVenue {
    /// The positions of `account` in `symbol` (every account, or every symbol, where nil) with
    /// their pair, mark and inventory against `limits`, ordered by account name, then symbol
    /// name. Reads only the slots asked for, in one call, and in that order: the venue keeps its
    /// accounts and symbols in name order, so nothing is sorted per call.
    public func positionViews(symbol: String? = nil, account: String? = nil, limits: InventoryLimits = InventoryLimits()) -> [PositionView] {
        var views: [PositionView] = []
        views.reserveCapacity(positionViewCount(symbol: symbol, account: account))
        forEachPositionView(symbol: symbol, account: account, limits: limits) { views.append($0) }
        return views
    }

    /// How many views `positionViews` would list for the same filters.
    public func positionViewCount(symbol: String? = nil, account: String? = nil) -> Int {
        let accounts = account.map { accountIndex[$0] == nil ? 0 : 1 } ?? accountsByName.count
        let symbols = symbol.map { symbolIndex[$0] == nil ? 0 : 1 } ?? symbolsByName.count
        return accounts * symbols
    }

    /// Hands each view `positionViews` would list to `body`, in the same order, without
    /// collecting them: for a caller that makes something else of each view (a payload), so
    /// no array of views is made, copied from and freed.
    public func forEachPositionView(symbol: String? = nil, account: String? = nil, limits: InventoryLimits = InventoryLimits(),
                                    _ body: (PositionView) -> Void) {
        let accountSlots: [Int], symbolSlots: [Int]
        if let account {
            guard let a = accountIndex[account] else { return }
            accountSlots = [a]
        } else {
            accountSlots = accountsByName
        }
        if let symbol {
            guard let s = symbolIndex[symbol] else { return }
            symbolSlots = [s]
        } else {
            symbolSlots = symbolsByName
        }
        // One symbol (an inventory event's listing): its limit is looked up once, not per account.
        let soleLimit = symbolSlots.count == 1 ? limits.maxInventory(for: symbols[symbolSlots[0]]) : nil
        for a in accountSlots {
            for s in symbolSlots {
                let limit = symbolSlots.count == 1 ? soleLimit : limits.maxInventory(for: symbols[s])
                body(view(of: source(account: a, symbol: s), maxInventory: limit))
            }
        }
    }
}
