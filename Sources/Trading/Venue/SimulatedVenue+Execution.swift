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
        book(slot: order.slot, side: request.side, price: price, qty: request.qty, fee: fee)
        return .record(OrderRecord(filled: request, number: order.number, price: price, fee: fee, at: order.timestampMicros))
    }

    /// Puts a non-marketable limit order on the book, first setting aside what its fill
    /// will cost (limit × qty + maker fee) or deliver (qty base) so nothing else spends it.
    mutating func rest(_ request: OrderRequest, _ order: PendingOrder, limit: Price, symbol: Int) -> OrderOutcome {
        let orderId = order.orderId
        guard let cost = try? limit.notional(request.qty), let fee = try? makerFee.fee(on: cost, step: rules[symbol].quoteStep) else {
            return .whole(rejected(request, orderId: orderId, VenueRejection.outOfRange(request)))
        }
        if let shortfall = shortfall(request, order, qty: request.qty, cost: cost, fee: fee, resting: true) {
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
    /// summed over its fills) plus `fee`, or nil if it can. The balances checked are the
    /// account's, per asset: a buy spends the quote asset that every symbol quoted in it
    /// shares, a sell delivers the base asset. Only what is not already reserved for
    /// resting orders (of any symbol on that asset) counts as available. A trade whose
    /// proceeds, balances or position would leave the range of a fixed-point value is refused
    /// too, so booking it cannot overflow. A margin account (every short-enabled one) is
    /// checked against its margin instead (`marginShortfall`), for a `resting` order on what it could add.
    func shortfall(_ request: OrderRequest, _ order: PendingOrder, qty: Quantity, cost: Money, fee: Money,
                   resting: Bool = false) -> TradingError? {
        // The numbers only: copying the whole Position would copy its name strings too.
        let base = positionSlots[order.slot].base, quote = positionSlots[order.slot].quote
        let pair = assets.bySymbol[order.symbol]
        let baseHeld = holdings[holdingSlot(account: order.account, asset: pair.base)]
        let quoteHeld = holdings[holdingSlot(account: order.account, asset: pair.quote)]
        guard let spend = try? cost.adding(fee), (try? base.adding(qty)) != nil, (try? base.subtracting(qty)) != nil,
              (try? quote.adding(cost)) != nil, (try? quote.subtracting(spend)) != nil,
              (try? baseHeld.adding(AssetAmount(same: qty))) != nil, (try? baseHeld.subtracting(AssetAmount(same: qty))) != nil,
              (try? quoteHeld.adding(AssetAmount(same: cost))) != nil, (try? quoteHeld.subtracting(AssetAmount(same: spend))) != nil,
              (try? positionSlots[order.slot].realizedPnl.adding(cost)) != nil,
              (try? positionSlots[order.slot].feesPaid.adding(fee)) != nil
        else { return VenueRejection.outOfRange(request) }
        if marginTerms[order.account] != nil {
            var change = MarginChange(symbol: order.symbol)
            switch (request.side, resting) {
            case (.buy, false): (change.base, change.cash) = (qty, -spend)
            case (.sell, false): (change.base, change.cash) = (-qty, cost - fee)
            case (.buy, true): change.pendingBuy = qty
            case (.sell, true): change.pendingSell = qty
            }
            return marginShortfall(request, account: order.account, change: change)
        }
        switch request.side {
        case .buy:
            let funds = quoteFunds(account: order.account, symbol: order.symbol)
            // Exact: passing here can never leave the quote balance below zero.
            guard spend > funds.held - funds.reserved else { return nil }
            return VenueRejection.insufficientQuote(
                account: request.account, asset: assets.names[pair.quote], cost: cost, fee: fee,
                quote: funds.held, reserved: funds.reserved)
        case .sell:
            let funds = baseFunds(account: order.account, symbol: order.symbol)
            guard qty > funds.held - funds.reserved else { return nil }
            return VenueRejection.insufficientBase(
                account: request.account, asset: assets.names[pair.base], qty: qty,
                base: funds.held, reserved: funds.reserved)
        }
    }
}
