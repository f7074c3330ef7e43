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
    /// The quote's bid and ask become exact prices as `Touch` describes. A quote for an
    /// unlisted symbol, or with a bid or ask that is not a positive finite price in range,
    /// or a non-finite last, is ignored and yields no fills.
    public mutating func updateQuote(symbol: String, quote: MarketQuote, at timestampMicros: Int64) -> [Fill] {
        guard let s = symbolIndex[symbol], let touch = Touch(quote, tickSize: rules[s].tickSize) else { return [] }
        if touches[s] == nil { valueOpeningHoldings(symbol: s, at: touch.mid) }
        quotes[s] = quote
        touches[s] = touch
        if let depth = rules[s].depth { depthBooks[s].refill(depth) }
        var fills: [Fill] = []
        // Unlimited liquidity is the largest quantity there is: no order can exceed it.
        let displayed = rules[s].displayedSize ?? Quantity(raw: .max)
        var liquidity = displayed
        while liquidity.isPositive, let order = books[s].popBuy(crossedBy: touch.ask) {
            fills.append(fillResting(order, symbol: s, liquidity: &liquidity, at: timestampMicros))
        }
        liquidity = displayed
        while liquidity.isPositive, let order = books[s].popSell(crossedBy: touch.bid) {
            fills.append(fillResting(order, symbol: s, liquidity: &liquidity, at: timestampMicros))
        }
        return fills
    }

    /// Fills as much of `order` as `liquidity` allows, taking that much from it. A part
    /// fill puts the order back where it was and frees only what the part used.
    private mutating func fillResting(
        _ popped: RestingOrder, symbol: Int, liquidity: inout Quantity, at timestampMicros: Int64
    ) -> Fill {
        var order = popped
        let remaining = order.remainingQty
        let completes = liquidity >= remaining
        // Displayed sizes are whole lots, so a part fill is too.
        let qty = completes ? remaining : liquidity
        liquidity = completes ? liquidity - remaining : 0
        // The reservation covered limit × qty + fee for the whole order, so the part's
        // numbers are in range.
        let notional = (try? order.limitPrice.notional(qty)) ?? 0
        let fee = (try? makerFee.fee(on: notional, step: rules[symbol].quoteStep)) ?? 0
        if completes {
            switch order.side {
            case .buy: reservations[order.positionSlot].release(quote: order.reservedQuote, qty: remaining)
            case .sell: reservations[order.positionSlot].release(base: remaining)
            }
            restingOrders[order.orderId] = nil
        } else {
            switch order.side {
            case .buy:
                let spent = notional + fee
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
        book(slot: order.positionSlot, side: fill.side, price: fill.price, qty: fill.qty, fee: fill.fee)
        return fill
    }

    /// Starting base has no trade price; valuing it at the first mid makes unrealised
    /// PnL count from the moment the market opened. No fill can precede the first quote,
    /// so any base held now is starting base.
    private mutating func valueOpeningHoldings(symbol: Int, at mid: Price) {
        for account in accountNames.indices {
            let index = slot(account: account, symbol: symbol)
            if !positionSlots[index].base.isZero, positionSlots[index].averageEntryPrice.isZero {
                changes.record(index, before: positionSlots[index])
                positionSlots[index].averageEntryPrice = mid
            }
        }
    }
}
