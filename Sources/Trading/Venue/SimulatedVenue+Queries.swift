extension SimulatedVenue {
    /// The position of `account` in `symbol`, nil if either is unknown.
    public func position(account: String, symbol: String) -> Position? {
        guard let a = accountIndex[account], let s = symbolIndex[symbol] else { return nil }
        return positionSlots[slot(account: a, symbol: s)]
    }

    /// Every (account, symbol) position, including untouched zero ones.
    public var positions: [PositionKey: Position] {
        var all: [PositionKey: Position] = [:]
        all.reserveCapacity(positionSlots.count)
        for position in positionSlots {
            all[PositionKey(account: position.account, symbol: position.symbol)] = position
        }
        return all
    }

    /// Holdings not promised to resting orders: what a new order may spend.
    /// Nil if the account or symbol is unknown.
    public func available(account: String, symbol: String) -> Balance? {
        guard let a = accountIndex[account], let s = symbolIndex[symbol] else { return nil }
        let index = slot(account: a, symbol: s)
        let held = reservations[index]
        return Balance(base: positionSlots[index].base - held.base, quote: positionSlots[index].quote - held.quote)
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
