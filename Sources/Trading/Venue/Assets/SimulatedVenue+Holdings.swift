/// One account's balance of one asset and the part of it promised to resting orders.
public struct AssetHolding: Sendable, Hashable, Codable {
    /// Asset name, e.g. "USD".
    public var asset: String
    /// Units held; negative only for a short-enabled account's base asset.
    public var amount: AssetAmount
    /// Units set aside for resting orders: quote for buys (cost and maker fee), base for sells.
    public var reserved: AssetAmount

    /// Creates a holding.
    public init(asset: String, amount: AssetAmount, reserved: AssetAmount = 0) {
        self.asset = asset
        self.amount = amount
        self.reserved = reserved
    }

    /// What a new order may spend: amount − reserved.
    public var available: AssetAmount { amount - reserved }
}

extension SimulatedVenue {
    /// Books a fill of `qty` at `price` on the position in `slot` and moves the account's
    /// balances of the symbol's two assets by exactly what it moved the position. The caller
    /// has checked (`shortfall`) that the numbers stay in range.
    @discardableResult
    mutating func book(slot: Int, side: Side, price: Price, qty: Quantity, fee: Money) -> Bool {
        let before = positionSlots[slot]
        guard positionSlots[slot].apply(side: side, price: price, qty: qty, fee: fee) else { return false }
        let account = slot / symbols.count, pair = assets.bySymbol[slot - account * symbols.count]
        let baseSlot = holdingSlot(account: account, asset: pair.base), quoteSlot = holdingSlot(account: account, asset: pair.quote)
        changes.record(slot, before: before)
        changes.balance(baseSlot, before: holdings[baseSlot])
        changes.balance(quoteSlot, before: holdings[quoteSlot])
        holdings[baseSlot] += AssetAmount(same: positionSlots[slot].base - before.base)
        holdings[quoteSlot] += AssetAmount(same: positionSlots[slot].quote - before.quote)
        return true
    }

    /// The account's balance of `symbol`'s quote asset and what resting buys of every symbol
    /// quoted in that asset hold back.
    func quoteFunds(account: Int, symbol: Int) -> (held: Money, reserved: Money) {
        let asset = assets.bySymbol[symbol].quote
        let held = Money(same: holdings[holdingSlot(account: account, asset: asset)])
        guard !assets.soleOnQuote[symbol] else { return (held, reservations[slot(account: account, symbol: symbol)].quote) }
        var reserved = Money.zero
        for s in assets.quoteOf[asset] { reserved += reservations[slot(account: account, symbol: s)].quote }
        return (held, reserved)
    }

    /// The account's balance of `symbol`'s base asset and what resting sells of every symbol
    /// with that base hold back.
    func baseFunds(account: Int, symbol: Int) -> (held: Quantity, reserved: Quantity) {
        let asset = assets.bySymbol[symbol].base
        let held = Quantity(same: holdings[holdingSlot(account: account, asset: asset)])
        guard !assets.soleOnBase[symbol] else { return (held, reservations[slot(account: account, symbol: symbol)].base) }
        var reserved = Quantity.zero
        for s in assets.baseOf[asset] { reserved += reservations[slot(account: account, symbol: s)].base }
        return (held, reserved)
    }

    /// Balances as the positions imply them: starting cash plus, per asset, the base of every
    /// symbol with that base and the quote of every symbol quoted in it; nil past the range.
    /// What `holdings` must always equal, and how a restore rebuilds it.
    func derivedHoldings(positions: [Position]) -> [AssetAmount]? {
        var derived = cash
        for (index, position) in positions.enumerated() {
            let account = index / symbols.count, pair = assets.bySymbol[index % symbols.count]
            let base = holdingSlot(account: account, asset: pair.base), quote = holdingSlot(account: account, asset: pair.quote)
            guard let b = try? derived[base].adding(AssetAmount(same: position.base)),
                  let q = try? derived[quote].adding(AssetAmount(same: position.quote)) else { return nil }
            derived[base] = b
            derived[quote] = q
        }
        return derived
    }

    /// The assets the venue's symbols trade, in the order they were first named.
    public var assetNames: [String] { assets.names }

    /// The base and quote asset of `symbol`, nil for an unlisted symbol.
    public func assetPair(of symbol: String) -> AssetPair? {
        symbolIndex[symbol].map { assets.pair(of: $0) }
    }

    /// Every balance of `account`, one per asset in `assetNames` order, with what resting
    /// orders hold back; nil for an unknown account.
    public func assetHoldings(account: String) -> [AssetHolding]? {
        guard let a = accountIndex[account] else { return nil }
        return assets.names.indices.map { asset in
            var reserved = AssetAmount.zero
            for s in assets.quoteOf[asset] { reserved += AssetAmount(same: reservations[slot(account: a, symbol: s)].quote) }
            for s in assets.baseOf[asset] { reserved += AssetAmount(same: reservations[slot(account: a, symbol: s)].base) }
            return AssetHolding(asset: assets.names[asset], amount: holdings[holdingSlot(account: a, asset: asset)], reserved: reserved)
        }
    }

    /// The rows a store keeps of `account`'s balances: one per asset in `assetNames` order,
    /// without what resting orders hold back; nil for an unknown account.
    public func assetBalances(account: String) -> [AccountAssetBalance]? {
        accountIndex[account].map { assetBalances(account: $0, named: account) }
    }

    /// The rows of account number `account`, whose name is `name`.
    func assetBalances(account: Int, named name: String) -> [AccountAssetBalance] {
        assets.names.indices.map { asset in
            AccountAssetBalance(account: name, asset: assets.names[asset], amount: holdings[holdingSlot(account: account, asset: asset)])
        }
    }

    /// Every account's balance of every asset.
    public var balances: [AssetKey: AssetAmount] {
        var all: [AssetKey: AssetAmount] = [:]
        all.reserveCapacity(holdings.count)
        for (index, amount) in holdings.enumerated() {
            let account = index / assets.names.count
            all[AssetKey(account: accountNames[account], asset: assets.names[index - account * assets.names.count])] = amount
        }
        return all
    }

    /// Every account's balance of every asset in slot order: account by account in
    /// configuration order, each account's assets in `assetNames` order. `balances` without
    /// building a dictionary.
    public var balanceSlots: [AssetAmount] { holdings }

    /// The balance in `slot` of `balanceSlots`.
    public func balance(slot: Int) -> AssetAmount { holdings[slot] }

    /// The balance of `asset` held by `account`, nil if either is unknown.
    public func balance(account: String, asset: String) -> AssetAmount? {
        guard let a = accountIndex[account], let n = assets[asset] else { return nil }
        return holdings[holdingSlot(account: a, asset: n)]
    }
}
