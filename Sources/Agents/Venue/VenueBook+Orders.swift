import Ledger
import Trading
import WireFormat
import WireProtocol

extension VenueBook {
    /// Cancels a resting order of `account`; nil when it has no such open order.
    mutating func cancel(orderId: String, account: String, at timestamp: Int64) -> OrderReport? {
        guard venue.restingOrder(id: orderId)?.account == account else { return nil }
        let mark = beginChange(for: account)
        let result = venue.cancel(orderId: orderId)
        persist(.cancel(orderId: orderId, result: result), since: mark, at: timestamp)
        guard let result else { return nil }
        restingTraces[orderId] = nil
        return versioned(OrderReport(result))
    }

    /// Replaces a resting order of `account` with a new quantity and/or limit price; nil when it
    /// has no such open order. The replacement gets a new order id and keeps the client id.
    mutating func replace(orderId: String, account: String, qty: Quantity?, price: Price?, trace: TraceContext, at timestamp: Int64) -> OrderReport? {
        guard let original = venue.restingOrder(id: orderId), original.account == account else { return nil }
        let mark = beginChange(for: account)
        let replaced = venue.replace(orderId: orderId, newQty: qty, newLimitPrice: price, at: timestamp)
        persist(.replace(original: original, newQty: qty, newLimitPrice: price, result: replaced), since: mark, at: timestamp)
        guard let result = replaced else { return nil }
        restingTraces[orderId] = nil
        if result.status == .open || result.status == .partiallyFilled { restingTraces[result.orderId] = trace }
        return versioned(OrderReport(result))
    }
}
