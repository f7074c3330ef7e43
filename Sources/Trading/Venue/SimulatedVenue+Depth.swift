extension SimulatedVenue {
    /// Fills a market order, or a limit order that crosses the touch, against the symbol's
    /// depth levels: one fill per level taken, best price first, each at the level's price
    /// (times the slippage factor for a market order; a limit order takes only levels at or
    /// better than its limit) with the taker fee on its own notional.
    ///
    /// When the levels cannot fill the whole quantity the order is rejected whole under
    /// `MarketDepth.Unfilled.reject`; under `.cancel` what they hold fills and the rest is
    /// cancelled (status `partiallyFilled`, with the reason). An order that gets nothing is
    /// rejected either way. The funds check counts the walked cost: Σ price × qty + Σ fee.
    mutating func executeAgainstDepth(
        _ request: OrderRequest, _ order: PendingOrder, symbol: Int, depth: MarketDepth, touch: MarketQuote, limit: Double?
    ) -> OrderOutcome {
        let takes = depthBooks[symbol].walk(side: request.side, qty: request.qty, depth: depth, touch: touch,
                                            tickSize: rules[symbol].tickSize, limit: limit)
        let available = takes.reduce(0) { $0 + $1.qty }
        let complete = available >= request.qty * (1 - 1e-12)
        guard !takes.isEmpty, complete || depth.unfilled == .cancel else {
            return .whole(rejected(request, orderId: order.orderId, VenueRejection.insufficientDepth(
                request, available: available, levels: depth.levels, limit: limit)))
        }
        let slippage = limit == nil ? request.side.sign * config.slippageBps / 10_000 : 0
        let orderId = order.orderId
        let fills = takes.map { take in
            let price = take.price * (1 + slippage)
            return Fill(orderId: orderId, clientOrderId: request.clientOrderId, account: request.account,
                        symbol: request.symbol, side: request.side, price: price, qty: take.qty,
                        fee: Fill.fee(price: price, qty: take.qty, bps: config.takerFeeBps), timestampMicros: order.timestampMicros)
        }
        let cost = fills.reduce(0) { $0 + $1.notionalQuote }
        let fee = fills.reduce(0) { $0 + $1.fee }
        if let shortfall = shortfall(request, order, qty: available, cost: cost, fee: fee) {
            return .whole(rejected(request, orderId: orderId, shortfall))
        }
        depthBooks[symbol].take(takes, side: request.side, depth: depth)
        for fill in fills { positionSlots[order.slot].apply(fill) }
        if complete, fills.count == 1, let fill = fills.first {
            return .record(OrderRecord(filled: request, number: order.number, price: fill.price, fee: fill.fee, at: order.timestampMicros))
        }
        return .whole(OrderResult(
            orderId: orderId, clientOrderId: request.clientOrderId, account: request.account, symbol: request.symbol,
            side: request.side, type: request.type, status: complete ? .filled : .partiallyFilled,
            requestedQty: request.qty, limitPrice: limit, filledQty: complete ? request.qty : available,
            averagePrice: cost / available, fills: fills,
            rejection: complete ? nil : VenueRejection.unfilledCancelled(request, filled: available, levels: depth.levels, limit: limit)))
    }
}
