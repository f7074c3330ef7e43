extension SimulatedVenue {
    /// Fills the whole order now at `price`, paying the taker fee.
    mutating func executeAsTaker(_ request: OrderRequest, _ order: PendingOrder, price: Price) -> OrderOutcome {
        let step = rules[order.slot % symbols.count].quoteStep
        guard let cost = try? price.notional(request.qty), let fee = try? takerFee.fee(on: cost, step: step) else {
            return .whole(rejected(request, orderId: order.orderId, VenueRejection.outOfRange(request)))
        }
        if let shortfall = shortfall(request, order, qty: request.qty, cost: cost, fee: fee) {
            return .whole(rejected(request, orderId: order.orderId, shortfall))
        }
        positionSlots[order.slot].apply(side: request.side, price: price, qty: request.qty, fee: fee)
        return .record(OrderRecord(filled: request, number: order.number, price: price, fee: fee, at: order.timestampMicros))
    }

    /// Puts a non-marketable limit order on the book, first setting aside what its fill
    /// will cost (limit × qty + maker fee) or deliver (qty base) so nothing else spends it.
    mutating func rest(_ request: OrderRequest, _ order: PendingOrder, limit: Price, symbol: Int) -> OrderOutcome {
        let orderId = order.orderId
        guard let cost = try? limit.notional(request.qty), let fee = try? makerFee.fee(on: cost, step: rules[symbol].quoteStep) else {
            return .whole(rejected(request, orderId: orderId, VenueRejection.outOfRange(request)))
        }
        if let shortfall = shortfall(request, order, qty: request.qty, cost: cost, fee: fee) {
            return .whole(rejected(request, orderId: orderId, shortfall))
        }
        let reservedQuote: Money
        switch request.side {
        case .buy:
            reservedQuote = cost + fee
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
    /// reserved for resting orders counts as available. A trade whose proceeds or position
    /// would leave the range of a fixed-point value is refused too, so booking it cannot
    /// overflow.
    func shortfall(_ request: OrderRequest, _ order: PendingOrder, qty: Quantity, cost: Money, fee: Money) -> TradingError? {
        // The numbers only: copying the whole Position would copy its name strings too.
        let quote = positionSlots[order.slot].quote, base = positionSlots[order.slot].base
        let held = reservations[order.slot]
        guard let spend = try? cost.adding(fee), (try? base.adding(qty)) != nil, (try? base.subtracting(qty)) != nil,
              (try? quote.adding(cost)) != nil, (try? positionSlots[order.slot].realizedPnl.adding(cost)) != nil,
              (try? positionSlots[order.slot].feesPaid.adding(fee)) != nil
        else { return VenueRejection.outOfRange(request) }
        switch request.side {
        case .buy:
            // Exact: passing here can never leave the quote balance below zero.
            guard spend > quote - held.quote else { return nil }
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
