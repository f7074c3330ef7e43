extension SimulatedVenue {
    /// Cancel-replace: takes resting order `orderId` off the book and submits a limit
    /// order for `newQty` at `newLimitPrice` in its place. Nil arguments keep the
    /// original's unfilled quantity and its price. Returns the replacement's result, or
    /// nil if `orderId` is not resting.
    ///
    /// Semantics chosen:
    /// - `newQty` is what the replacement asks for; what the original already part-filled
    ///   stays booked and is not counted again.
    /// - The replacement gets a new venue order id, as cancel-replace does on real venues,
    ///   and keeps the original's client order id so the client still recognises its
    ///   fills. Client-id memory keeps the original submission: resubmitting the original
    ///   request replays that first result and never places a third order. Replacing a
    ///   replaced order by its old id returns nil, so a retried replace cannot double up.
    /// - The replacement passes every submit check against the funds the original frees,
    ///   and trades at once if its new price is marketable. If it is rejected the
    ///   original is put back untouched, with its reservation and its place in the queue,
    ///   and the rejected result is returned.
    public mutating func replace(
        orderId: String, newQty: Quantity? = nil, newLimitPrice: Price? = nil, at timestampMicros: Int64
    ) -> OrderResult? {
        guard let location = restingOrders[orderId],
              let original = books[location.symbol].order(id: orderId, side: location.side, limitPrice: location.limitPrice)
        else { return nil }
        let request = OrderRequest(
            clientOrderId: original.clientOrderId, account: original.account, symbol: original.symbol,
            side: original.side, type: .limit, qty: newQty ?? original.remainingQty,
            limitPrice: newLimitPrice ?? original.limitPrice)
        _ = cancel(orderId: orderId)
        // Position slots are account-major, so the slot already names the account.
        let result = process(request, account: original.positionSlot / symbols.count, at: timestampMicros).result
        if result.status == .rejected { restore(original, symbol: location.symbol) }
        return result
    }

    /// Undoes `cancel` for an order that must keep resting.
    private mutating func restore(_ order: RestingOrder, symbol: Int) {
        switch order.side {
        case .buy: reservations[order.positionSlot].reserve(quote: order.reservedQuote, qty: order.remainingQty)
        case .sell: reservations[order.positionSlot].reserve(base: order.remainingQty)
        }
        books[symbol].insert(order)
        restingOrders[order.orderId] = (symbol, order.side, order.limitPrice)
    }
}
