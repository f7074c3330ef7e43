extension SimulatedVenue {
    /// Fills the whole order now at `price`, paying the taker fee.
    mutating func executeAsTaker(_ request: OrderRequest, _ order: PendingOrder, price: Double) -> OrderOutcome {
        let fee = Fill.fee(price: price, qty: request.qty, bps: config.takerFeeBps)
        if let shortfall = shortfall(request, order, qty: request.qty, cost: price * request.qty, fee: fee) {
            return .whole(rejected(request, orderId: order.orderId, shortfall))
        }
        positionSlots[order.slot].apply(side: request.side, price: price, qty: request.qty, fee: fee)
        return .record(OrderRecord(filled: request, number: order.number, price: price, fee: fee, at: order.timestampMicros))
    }

    /// Puts a non-marketable limit order on the book, first setting aside what its fill
    /// will cost (limit × qty + maker fee) or deliver (qty base) so nothing else spends it.
    mutating func rest(_ request: OrderRequest, _ order: PendingOrder, limit: Double, symbol: Int) -> OrderOutcome {
        let orderId = order.orderId
        let fee = Fill.fee(price: limit, qty: request.qty, bps: config.makerFeeBps)
        if let shortfall = shortfall(request, order, qty: request.qty, cost: limit * request.qty, fee: fee) {
            return .whole(rejected(request, orderId: orderId, shortfall))
        }
        let reservedQuote: Double
        switch request.side {
        case .buy:
            reservedQuote = limit * request.qty + fee
            reservations[order.slot].reserve(quote: reservedQuote, qty: request.qty)
        case .sell:
            reservedQuote = 0
            reservations[order.slot].reserve(base: request.qty)
        }
        books[symbol].insert(RestingOrder(
            orderId: orderId, clientOrderId: request.clientOrderId, account: request.account,
            symbol: request.symbol, side: request.side, qty: request.qty, limitPrice: limit,
            reservedQuote: reservedQuote, submittedAtMicros: order.timestampMicros,
            sequence: ordersSubmitted, positionSlot: order.slot))
        restingOrders[orderId] = (symbol, request.side, limit)
        return .record(OrderRecord(resting: request, number: order.number))
    }

    /// Why the account cannot afford to trade `qty` of the order for `cost` (price × qty,
    /// summed over its fills) plus `fee`, or nil if it can. Only what is not already
    /// reserved for resting orders counts as available.
    func shortfall(_ request: OrderRequest, _ order: PendingOrder, qty: Double, cost: Double, fee: Double) -> TradingError? {
        // The numbers only: copying the whole Position would copy its name strings too.
        let quote = positionSlots[order.slot].quote, base = positionSlots[order.slot].base
        let held = reservations[order.slot]
        switch request.side {
        case .buy:
            // For one fill the same expression as Position.apply subtracts, so passing here
            // can never leave the quote balance below zero.
            guard cost + fee > quote - held.quote else { return nil }
            return VenueRejection.insufficientQuote(
                account: request.account, symbol: request.symbol, cost: cost, fee: fee,
                quote: quote, reserved: held.quote)
        case .sell:
            guard !order.allowShort, qty > base - held.base else { return nil }
            return VenueRejection.insufficientBase(
                account: request.account, symbol: request.symbol, qty: qty,
                base: base, reserved: held.base)
        }
    }
}
