extension SimulatedVenue {
    /// Records a new touch for `symbol` and fills every resting limit order it crosses, at
    /// the order's own limit price with the maker fee: buys when ask ≤ limit, sells when
    /// bid ≥ limit. The fills are already booked to positions; they are returned so the
    /// caller can report them.
    ///
    /// A quote for an unlisted symbol, or with a bid or ask that is not a positive finite
    /// number, or a non-finite last, is ignored and yields no fills.
    public mutating func updateQuote(symbol: String, quote: MarketQuote, at timestampMicros: Int64) -> [Fill] {
        guard let s = symbolIndex[symbol], Self.isUsable(quote) else { return [] }
        if quotes[s] == nil { valueOpeningHoldings(symbol: s, at: quote.mid) }
        quotes[s] = quote
        var fills: [Fill] = []
        while let order = books[s].popBuy(crossedBy: quote.ask) {
            fills.append(fillResting(order, at: timestampMicros))
        }
        while let order = books[s].popSell(crossedBy: quote.bid) {
            fills.append(fillResting(order, at: timestampMicros))
        }
        return fills
    }

    private mutating func fillResting(_ order: RestingOrder, at timestampMicros: Int64) -> Fill {
        switch order.side {
        case .buy: reservations[order.ledgerSlot].release(quote: order.reservedQuote)
        case .sell: reservations[order.ledgerSlot].release(base: order.qty)
        }
        restingOrders[order.orderId] = nil
        let fill = Fill(
            orderId: order.orderId, clientOrderId: order.clientOrderId, account: order.account,
            symbol: order.symbol, side: order.side, price: order.limitPrice, qty: order.qty,
            fee: Fill.fee(price: order.limitPrice, qty: order.qty, bps: config.makerFeeBps),
            timestampMicros: timestampMicros)
        ledger[order.ledgerSlot].apply(fill)
        return fill
    }

    /// Starting base has no trade price; valuing it at the first mid makes unrealised
    /// PnL count from the moment the market opened. No fill can precede the first quote,
    /// so any base held now is starting base.
    private mutating func valueOpeningHoldings(symbol: Int, at mid: Double) {
        for account in accountNames.indices {
            let index = slot(account: account, symbol: symbol)
            if ledger[index].base != 0, ledger[index].averageEntryPrice == 0 {
                ledger[index].averageEntryPrice = mid
            }
        }
    }

    private static func isUsable(_ quote: MarketQuote) -> Bool {
        quote.bid.isFinite && quote.bid > 0 && quote.ask.isFinite && quote.ask > 0 && quote.last.isFinite
    }
}
