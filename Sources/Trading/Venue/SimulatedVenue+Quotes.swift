extension SimulatedVenue {
    /// Records a new touch for `symbol` and fills the resting limit orders it crosses, at
    /// each order's own limit price with the maker fee: buys when ask ≤ limit, sells when
    /// bid ≥ limit, best price first. With a `displayedSize` rule each side fills at most
    /// that many base units per update and an order that gets less than it needs stays
    /// resting as partially filled. The fills are already booked to positions; they are
    /// returned so the caller can report them.
    ///
    /// With a `depth` rule every update also refills the symbol's depth levels.
    ///
    /// A quote for an unlisted symbol, or with a bid or ask that is not a positive finite
    /// number, or a non-finite last, is ignored and yields no fills.
    public mutating func updateQuote(symbol: String, quote: MarketQuote, at timestampMicros: Int64) -> [Fill] {
        guard let s = symbolIndex[symbol], Self.isUsable(quote) else { return [] }
        if quotes[s] == nil { valueOpeningHoldings(symbol: s, at: quote.mid) }
        quotes[s] = quote
        if let depth = rules[s].depth { depthBooks[s].refill(depth) }
        var fills: [Fill] = []
        let displayed = rules[s].displayedSize ?? .infinity
        // What is left after whole fills may be float residue; it must not become a dust fill.
        let exhausted = rules[s].displayedSize.map { $0 * 1e-12 } ?? 0
        var liquidity = displayed
        while liquidity > exhausted, let order = books[s].popBuy(crossedBy: quote.ask) {
            fills.append(fillResting(order, symbol: s, liquidity: &liquidity, at: timestampMicros))
        }
        liquidity = displayed
        while liquidity > exhausted, let order = books[s].popSell(crossedBy: quote.bid) {
            fills.append(fillResting(order, symbol: s, liquidity: &liquidity, at: timestampMicros))
        }
        return fills
    }

    /// Fills as much of `order` as `liquidity` allows, taking that much from it. A part
    /// fill puts the order back where it was and frees only what the part used.
    private mutating func fillResting(
        _ popped: RestingOrder, symbol: Int, liquidity: inout Double, at timestampMicros: Int64
    ) -> Fill {
        var order = popped
        let remaining = order.remainingQty
        // A shortfall of float residue counts as enough, so no dust order is left behind.
        let completes = liquidity >= remaining * (1 - 1e-12)
        let qty = completes ? remaining : liquidity
        liquidity = completes ? max(0, liquidity - remaining) : 0
        let fee = Fill.fee(price: order.limitPrice, qty: qty, bps: config.makerFeeBps)
        if completes {
            switch order.side {
            case .buy: reservations[order.positionSlot].release(quote: order.reservedQuote, qty: remaining)
            case .sell: reservations[order.positionSlot].release(base: remaining)
            }
            restingOrders[order.orderId] = nil
        } else {
            switch order.side {
            case .buy:
                let spent = order.limitPrice * qty + fee
                reservations[order.positionSlot].consume(quote: spent, qty: qty)
                order.reservedQuote -= spent
            case .sell:
                reservations[order.positionSlot].consume(base: qty)
            }
            order.filledQty += qty
            books[symbol].restoreBest(order)
        }
        let fill = Fill(
            orderId: order.orderId, clientOrderId: order.clientOrderId, account: order.account,
            symbol: order.symbol, side: order.side, price: order.limitPrice, qty: qty, fee: fee,
            timestampMicros: timestampMicros)
        positionSlots[order.positionSlot].apply(fill)
        return fill
    }

    /// Starting base has no trade price; valuing it at the first mid makes unrealised
    /// PnL count from the moment the market opened. No fill can precede the first quote,
    /// so any base held now is starting base.
    private mutating func valueOpeningHoldings(symbol: Int, at mid: Double) {
        for account in accountNames.indices {
            let index = slot(account: account, symbol: symbol)
            if positionSlots[index].base != 0, positionSlots[index].averageEntryPrice == 0 {
                positionSlots[index].averageEntryPrice = mid
            }
        }
    }

    private static func isUsable(_ quote: MarketQuote) -> Bool {
        quote.bid.isFinite && quote.bid > 0 && quote.ask.isFinite && quote.ask > 0 && quote.last.isFinite
    }
}
