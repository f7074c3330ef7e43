extension SimulatedVenue {
    /// Handles an order: validates it, then fills it at once against the touch, rests it
    /// on the book, or rejects it with a reason.
    ///
    /// Checks run in this order: account, symbol, quantity, lot size, minimum size, limit
    /// price, tick grid, quote present, funds. Resubmitting a client order id already seen for
    /// the account with the same symbol, side, type, quantity and limit price returns the
    /// first result unchanged and executes nothing; with any of them different it is
    /// rejected (`duplicate_client_order_id`, naming the first term that differs) under an
    /// order id of its own, and the first result stays the one remembered.
    public mutating func submit(_ request: OrderRequest, at timestampMicros: Int64) -> OrderResult {
        guard let account = accountIndex[request.account] else {
            let orderId = VenueOrderId.render(issueOrderNumber())
            return rejected(request, orderId: orderId, VenueRejection.unknownAccount(request.account, known: accountNames))
        }
        guard !request.clientOrderId.isEmpty else {
            return process(request, account: account, at: timestampMicros).result
        }
        // One hash of the client id: the first result if the id was seen, else the id is claimed.
        let key = ClientOrderKey(account: account, clientOrderId: request.clientOrderId)
        switch clientOrders.claim(key, request: request, names: accountNames) {
        case .replay(let first): return first
        case .conflict(let reason): return rejected(request, orderId: VenueOrderId.render(issueOrderNumber()), reason)
        case nil: break
        }
        let outcome = process(request, account: account, at: timestampMicros)
        let result = outcome.result
        clientOrders.remember(consume outcome)
        return result
    }

    mutating func process(_ request: OrderRequest, account: Int, at timestampMicros: Int64) -> OrderOutcome {
        let number = issueOrderNumber()
        func refused(_ reason: TradingError) -> OrderOutcome {
            .whole(rejected(request, orderId: VenueOrderId.render(number), reason))
        }
        guard let symbol = symbolIndex[request.symbol] else {
            return refused(VenueRejection.unknownSymbol(request.symbol, listed: symbols))
        }
        guard request.qty.isPositive else {
            return refused(VenueRejection.invalidQuantity(request.qty))
        }
        let rule = rules[symbol]
        guard request.qty.isMultiple(of: rule.lotSize) else {
            return refused(VenueRejection.offLot(request.qty, rule: rule, symbol: request.symbol))
        }
        guard request.qty >= rule.minQty else {
            return refused(VenueRejection.belowMinSize(request.qty, rule: rule, symbol: request.symbol))
        }
        var limit: Price?
        if request.type == .limit {
            guard let price = request.limitPrice, price.isPositive else {
                return refused(VenueRejection.invalidPrice(request.limitPrice))
            }
            guard rule.isOnGrid(price) else {
                return refused(VenueRejection.offTick(price, rule: rule, symbol: request.symbol))
            }
            limit = price
        }
        guard let touch = touches[symbol] else {
            return refused(VenueRejection.noQuote(request.symbol))
        }
        let order = PendingOrder(number: number, account: account, symbol: symbol, slot: slot(account: account, symbol: symbol),
                                 timestampMicros: timestampMicros)
        let marketable = limit.map { request.side == .buy ? $0 >= touch.ask : $0 <= touch.bid } ?? true
        if marketable, let depth = rule.depth {
            return executeAgainstDepth(request, order, symbol: symbol, depth: depth, touch: touch, limit: limit)
        }
        guard let limit else {
            guard let price = try? slippage.slipped(request.side == .buy ? touch.ask : touch.bid, side: request.side) else {
                return refused(VenueRejection.outOfRange(request))
            }
            return executeAsTaker(request, order, price: price)
        }
        switch request.side {
        case .buy where marketable: return executeAsTaker(request, order, price: min(limit, touch.ask))
        case .sell where marketable: return executeAsTaker(request, order, price: max(limit, touch.bid))
        default: return rest(request, order, limit: limit, symbol: symbol)
        }
    }

    private mutating func issueOrderNumber() -> Int {
        ordersSubmitted += 1
        return ordersSubmitted
    }

    func rejected(_ request: OrderRequest, orderId: String, _ reason: TradingError) -> OrderResult {
        OrderResult(
            orderId: orderId, clientOrderId: request.clientOrderId, account: request.account,
            symbol: request.symbol, side: request.side, type: request.type, status: .rejected,
            requestedQty: request.qty, limitPrice: request.type == .limit ? request.limitPrice : nil, rejection: reason)
    }
}

/// What the venue adds to a validated request on its way to execution or the book. The
/// request travels beside it rather than in it: holding a copy would retain its strings.
struct PendingOrder {
    /// The order number; its id is `orderId`.
    var number: Int
    var account: Int
    var symbol: Int
    var slot: Int
    var timestampMicros: Int64

    var orderId: String { VenueOrderId.render(number) }
}
