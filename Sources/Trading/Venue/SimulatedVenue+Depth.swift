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
        _ request: OrderRequest, _ order: PendingOrder, symbol: Int, depth: MarketDepth, touch: Touch, limit: Price?
    ) -> OrderOutcome {
        let takes = depthBooks[symbol].walk(side: request.side, qty: request.qty, depth: depth, touch: touch,
                                            tickSize: rules[symbol].tickSize, limit: limit)
        let available = takes.reduce(Quantity.zero) { $0 + $1.qty }
        let complete = available == request.qty
        guard !takes.isEmpty, complete || depth.unfilled == .cancel else {
            return .whole(rejected(request, orderId: order.orderId, VenueRejection.insufficientDepth(
                request, available: available, levels: depth.levels, limit: limit)))
        }
        let orderId = order.orderId
        guard let (fills, cost, fee) = try? priced(takes, of: request, orderId: orderId, symbol: symbol, limit: limit,
                                                   at: order.timestampMicros) else {
            return .whole(rejected(request, orderId: orderId, VenueRejection.outOfRange(request)))
        }
        if let shortfall = shortfall(request, order, qty: available, cost: cost, fee: fee) {
            return .whole(rejected(request, orderId: orderId, shortfall))
        }
        depthBooks[symbol].take(takes, side: request.side)
        for fill in fills { book(slot: order.slot, side: fill.side, price: fill.price, qty: fill.qty, fee: fill.fee) }
        if complete, fills.count == 1, let fill = fills.first {
            return .record(OrderRecord(filled: request, number: order.number, price: fill.price, fee: fill.fee, at: order.timestampMicros))
        }
        return .whole(OrderResult(
            orderId: orderId, clientOrderId: request.clientOrderId, account: request.account, symbol: request.symbol,
            side: request.side, type: request.type, status: complete ? .filled : .partiallyFilled,
            requestedQty: request.qty, limitPrice: limit, filledQty: available,
            averagePrice: try? cost.perUnit(available), fills: fills,
            rejection: complete ? nil : VenueRejection.unfilledCancelled(request, filled: available, levels: depth.levels, limit: limit)))
    }

    /// The fills of `takes` (from a depth walk) for `request`: each at its level's price (times
    /// the slippage factor when there is no `limit`) with the taker fee on its own notional,
    /// with their total cost and fee.
    func priced(
        _ takes: [DepthBook.Take], of request: OrderRequest, orderId: String, symbol: Int, limit: Price?, at timestampMicros: Int64
    ) throws(FixedPointError) -> (fills: [Fill], cost: Money, fee: Money) {
        var fills: [Fill] = []
        var cost = Money.zero, fee = Money.zero
        for take in takes {
            let price = limit == nil ? try slippage.slipped(take.price, side: request.side) : take.price
            let notional = try price.notional(take.qty)
            let takeFee = try takerFee.fee(on: notional, step: rules[symbol].quoteStep)
            cost = try cost.adding(notional)
            fee = try fee.adding(takeFee)
            fills.append(Fill(orderId: orderId, clientOrderId: request.clientOrderId, account: request.account,
                              symbol: request.symbol, side: request.side, price: price, qty: take.qty,
                              fee: takeFee, timestampMicros: timestampMicros))
        }
        return (fills, cost, fee)
    }
}
