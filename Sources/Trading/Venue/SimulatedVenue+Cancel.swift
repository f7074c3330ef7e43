extension SimulatedVenue {
    /// Takes a resting order off the book and frees what it still reserved. Returns the
    /// cancelled order's result, with any quantity already part-filled, or nil if no order
    /// with that id is resting (unknown, already filled, rejected or already cancelled).
    public mutating func cancel(orderId: String) -> OrderResult? {
        guard let location = restingOrders.removeValue(forKey: orderId),
              let order = books[location.symbol].remove(orderId: orderId, side: location.side, limitPrice: location.limitPrice)
        else { return nil }
        switch order.side {
        case .buy: reservations[order.positionSlot].release(quote: order.reservedQuote, qty: order.remainingQty)
        case .sell: reservations[order.positionSlot].release(base: order.remainingQty)
        }
        // Part fills already reported stay booked; the result says how much traded.
        return OrderResult(
            orderId: order.orderId, clientOrderId: order.clientOrderId, account: order.account,
            symbol: order.symbol, side: order.side, type: .limit, status: .cancelled,
            requestedQty: order.qty, limitPrice: order.limitPrice, filledQty: order.filledQty,
            averagePrice: order.filledQty.isPositive ? order.limitPrice : nil)
    }
}
