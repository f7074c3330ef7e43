extension SimulatedVenue {
    /// Handles an order: validates it, then fills it at once against the touch, rests it
    /// on the book, or rejects it with a reason.
    ///
    /// Checks run in this order: account, symbol, quantity, minimum size, limit price,
    /// tick grid, quote present, funds. Resubmitting a client order id already seen for
    /// the account returns the first result unchanged and executes nothing.
    public mutating func submit(_ request: OrderRequest, at timestampMicros: Int64) -> OrderResult {
        guard let account = accountIndex[request.account] else {
            return rejected(request, orderId: issueOrderId(), VenueRejection.unknownAccount(request.account, known: accountNames))
        }
        guard !request.clientOrderId.isEmpty else {
            return process(request, account: account, at: timestampMicros)
        }
        // One hash of the client id: claim the next result slot if the id is new, or find the
        // slot of its first result. The slot is filled right below, before anything can read it.
        let next = rememberedResults.count
        let key = ClientOrderKey(account: account, clientOrderId: request.clientOrderId)
        let slot: Int
        do {
            // Read through locals: the index is being mutated, so `self` cannot be read meanwhile.
            // They go out of scope before the append below, which therefore copies nothing.
            let results = rememberedResults, names = accountNames
            slot = resultIndexByClientId.claim(key, next: next) { Self.result(results[$0], belongsTo: key, names: names) }
        }
        guard slot == next else { return rememberedResults[slot] }
        let result = process(request, account: account, at: timestampMicros)
        rememberedResults.append(result)
        return result
    }

    mutating func process(_ request: OrderRequest, account: Int, at timestampMicros: Int64) -> OrderResult {
        let orderId = issueOrderId()
        guard let symbol = symbolIndex[request.symbol] else {
            return rejected(request, orderId: orderId, VenueRejection.unknownSymbol(request.symbol, listed: symbols))
        }
        guard request.qty.isFinite, request.qty > 0 else {
            return rejected(request, orderId: orderId, VenueRejection.invalidQuantity(request.qty))
        }
        let rule = rules[symbol]
        guard request.qty >= rule.minQty else {
            return rejected(request, orderId: orderId, VenueRejection.belowMinSize(request.qty, rule: rule, symbol: request.symbol))
        }
        var limit: Double?
        if request.type == .limit {
            guard let price = request.limitPrice, price.isFinite, price > 0 else {
                return rejected(request, orderId: orderId, VenueRejection.invalidPrice(request.limitPrice))
            }
            guard rule.isOnGrid(price) else {
                return rejected(request, orderId: orderId, VenueRejection.offTick(price, rule: rule, symbol: request.symbol))
            }
            limit = price
        }
        guard let touch = quotes[symbol] else {
            return rejected(request, orderId: orderId, VenueRejection.noQuote(request.symbol))
        }
        let order = PendingOrder(request: request, orderId: orderId, slot: slot(account: account, symbol: symbol),
                                 allowShort: allowsShort[account], timestampMicros: timestampMicros)
        guard let limit else {
            let slippage = config.slippageBps / 10_000
            let price = request.side == .buy ? touch.ask * (1 + slippage) : touch.bid * (1 - slippage)
            return executeAsTaker(order, price: price)
        }
        switch request.side {
        case .buy where limit >= touch.ask: return executeAsTaker(order, price: min(limit, touch.ask))
        case .sell where limit <= touch.bid: return executeAsTaker(order, price: max(limit, touch.bid))
        default: return rest(order, limit: limit, symbol: symbol)
        }
    }

    private mutating func issueOrderId() -> String {
        ordersSubmitted += 1
        // Concatenating small strings stays an inline small string; interpolation would reserve
        // a heap buffer for every order id.
        return "O-" + String(ordersSubmitted)
    }

    func rejected(_ request: OrderRequest, orderId: String, _ reason: TradingError) -> OrderResult {
        OrderResult(
            orderId: orderId, clientOrderId: request.clientOrderId, account: request.account,
            symbol: request.symbol, side: request.side, type: request.type, status: .rejected,
            requestedQty: request.qty, rejection: reason)
    }
}

/// A validated order on its way to execution or the book.
struct PendingOrder {
    var request: OrderRequest
    var orderId: String
    var slot: Int
    var allowShort: Bool
    var timestampMicros: Int64
}
