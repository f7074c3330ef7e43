extension SimulatedVenue {
    /// Takes a resting order off the book and frees what it reserved. Returns the
    /// cancelled order's result, or nil if no order with that id is resting (unknown,
    /// already filled, rejected or already cancelled).
    public mutating func cancel(orderId: String) -> OrderResult? {
        guard let location = restingOrders.removeValue(forKey: orderId),
              let order = books[location.symbol].remove(orderId: orderId, side: location.side, limitPrice: location.limitPrice)
        else { return nil }
        switch order.side {
        case .buy: reservations[order.ledgerSlot].release(quote: order.reservedQuote)
        case .sell: reservations[order.ledgerSlot].release(base: order.qty)
        }
        return OrderResult(
            orderId: order.orderId, clientOrderId: order.clientOrderId, account: order.account,
            symbol: order.symbol, side: order.side, type: .limit, status: .cancelled,
            requestedQty: order.qty)
    }
}
