import Trading
import WireProtocol

extension Exchange {
    /// Cancels a resting order of `account`; nil when it has no such open order.
    func cancel(orderId: String, account: String) -> OrderReport? {
        guard venue.restingOrder(id: orderId)?.account == account, let result = venue.cancel(orderId: orderId) else { return nil }
        restingTraces[orderId] = nil
        return OrderReport(result)
    }

    /// Replaces a resting order of `account` with a new quantity and/or limit price; nil when it
    /// has no such open order. The replacement gets a new order id and keeps the client id.
    func replace(orderId: String, account: String, qty: Double?, price: Double?, trace: TraceContext, at timestamp: Int64) -> OrderReport? {
        guard venue.restingOrder(id: orderId)?.account == account,
              let result = venue.replace(orderId: orderId, newQty: qty, newLimitPrice: price, at: timestamp) else { return nil }
        restingTraces[orderId] = nil
        if result.status == .open || result.status == .partiallyFilled { restingTraces[result.orderId] = trace }
        return OrderReport(result)
    }
}
