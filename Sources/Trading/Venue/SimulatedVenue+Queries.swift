extension SimulatedVenue {
    /// The position of `account` in `symbol` as seen from the symbol: `base` and `quote` are
    /// the account's balances of the symbol's two assets (so USD shows the same in BTC-USD and
    /// ETH-USD), entry price, PnL and fees are the symbol's own. Nil if either is unknown.
    public func position(account: String, symbol: String) -> Position? {
        guard let a = accountIndex[account], let s = symbolIndex[symbol] else { return nil }
        return view(slot: slot(account: a, symbol: s))
    }

    /// Every (account, symbol) position as `position(account:symbol:)` shows it, including
    /// untouched zero ones.
    public var positions: [PositionKey: Position] {
        var all: [PositionKey: Position] = [:]
        all.reserveCapacity(positionSlots.count)
        for index in positionSlots.indices {
            let position = view(slot: index)
            all[PositionKey(account: position.account, symbol: position.symbol)] = position
        }
        return all
    }

    /// The trading record of `account` in `symbol`: the base and quote that symbol's trades
    /// moved (what a store keeps and `restore` takes back), nil if either is unknown.
    public func tradingRecord(account: String, symbol: String) -> Position? {
        guard let a = accountIndex[account], let s = symbolIndex[symbol] else { return nil }
        return positionSlots[slot(account: a, symbol: s)]
    }

    /// Where `account`'s trading record of `symbol` sits in `tradingRecordSlots`, and its
    /// balances of the symbol's base and quote assets in `balanceSlots`; nil if either is unknown.
    public func slots(account: String, symbol: String) -> (record: Int, base: Int, quote: Int)? {
        guard let a = accountIndex[account], let s = symbolIndex[symbol] else { return nil }
        let pair = assets.bySymbol[s]
        return (slot(account: a, symbol: s), holdingSlot(account: a, asset: pair.base), holdingSlot(account: a, asset: pair.quote))
    }

    /// Every (account, symbol) trading record, including untouched zero ones.
    public var tradingRecords: [PositionKey: Position] {
        var all: [PositionKey: Position] = [:]
        all.reserveCapacity(positionSlots.count)
        for position in positionSlots {
            all[PositionKey(account: position.account, symbol: position.symbol)] = position
        }
        return all
    }

    /// Every trading record in slot order: account by account in configuration order, each
    /// account's symbols in `symbols` order. `tradingRecords` without building a dictionary.
    public var tradingRecordSlots: [Position] { positionSlots }

    /// The trading record in `slot` of `tradingRecordSlots`.
    public func tradingRecord(slot: Int) -> Position { positionSlots[slot] }

    /// Empties `changes` and has it note, from now on, each trading record and balance the venue
    /// changes with its value before: a journal calls it right before each operation.
    public mutating func startChanges() { changes.start() }

    /// The record in `slot` with base and quote replaced by the account's asset balances.
    func view(slot index: Int) -> Position {
        let account = index / symbols.count, pair = assets.bySymbol[index - account * symbols.count]
        var position = positionSlots[index]
        position.base = Quantity(same: holdings[holdingSlot(account: account, asset: pair.base)])
        position.quote = Money(same: holdings[holdingSlot(account: account, asset: pair.quote)])
        return position
    }

    /// The account's balances of `symbol`'s base and quote asset: the per-pair view of its
    /// per-asset balances. Nil if the account or symbol is unknown.
    public func balance(account: String, symbol: String) -> Balance? {
        guard let a = accountIndex[account], let s = symbolIndex[symbol] else { return nil }
        let pair = assets.bySymbol[s]
        return Balance(base: Quantity(same: holdings[holdingSlot(account: a, asset: pair.base)]),
                       quote: Money(same: holdings[holdingSlot(account: a, asset: pair.quote)]))
    }

    /// The account's balances of `symbol`'s base and quote asset not promised to resting
    /// orders (of any symbol on those assets): what a new order may spend.
    /// Nil if the account or symbol is unknown.
    public func available(account: String, symbol: String) -> Balance? {
        guard let a = accountIndex[account], let s = symbolIndex[symbol] else { return nil }
        let quote = quoteFunds(account: a, symbol: s), base = baseFunds(account: a, symbol: s)
        return Balance(base: base.held - base.reserved, quote: quote.held - quote.reserved)
    }

    /// The latest quote for `symbol`, nil before the first one or for an unknown symbol.
    public func quote(for symbol: String) -> MarketQuote? {
        guard let s = symbolIndex[symbol] else { return nil }
        return quotes[s]
    }

    /// The exact bid and ask `symbol` trades at (see `Touch`), nil before the first quote or
    /// for an unknown symbol.
    public func touch(for symbol: String) -> (bid: Price, ask: Price)? {
        guard let s = symbolIndex[symbol], let touch = touches[s] else { return nil }
        return (touch.bid, touch.ask)
    }

    /// The mid of the exact touch, (bid + ask) / 2 with halves to even: the mark positions
    /// are valued at. Nil before the first quote or for an unknown symbol.
    public func mark(for symbol: String) -> Price? {
        guard let s = symbolIndex[symbol] else { return nil }
        return touches[s]?.mid
    }

    /// Resting limit orders across all symbols, oldest first.
    public var openOrders: [RestingOrder] {
        books.flatMap { $0.buys + $0.sells }.sorted { $0.sequence < $1.sequence }
    }

    /// The resting order `orderId` with its fill progress, nil once it is filled,
    /// cancelled or was never resting.
    public func restingOrder(id orderId: String) -> RestingOrder? {
        guard let location = restingOrders[orderId] else { return nil }
        return books[location.symbol].order(id: orderId, side: location.side, limitPrice: location.limitPrice)
    }

    /// The trading rules of `symbol`, nil for an unlisted symbol.
    public func rules(for symbol: String) -> SymbolRules? {
        symbolIndex[symbol].map { rules[$0] }
    }
}
