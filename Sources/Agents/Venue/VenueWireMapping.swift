import Trading
import WireProtocol

// The venue's values in their wire form. Internal, with labels of their own, so they never
// clash with the runtime's public conversions in a module that imports both.

extension FillPayload {
    init(venue fill: Fill) {
        self.init(orderId: fill.orderId, clientOrderId: fill.clientOrderId, account: fill.account, symbol: fill.symbol,
                  side: fill.side, price: fill.price, qty: fill.qty, fee: fill.fee)
    }
}

extension OrderReport {
    init(venue result: OrderResult) {
        self.init(orderId: result.orderId, clientOrderId: result.clientOrderId, account: result.account, symbol: result.symbol,
                  side: result.side, type: result.type, status: result.status, qty: result.requestedQty,
                  filledQty: result.filledQty, avgPrice: result.averagePrice, fills: result.fills.map(FillPayload.init(venue:)),
                  reason: result.rejection?.message, reasonCode: result.rejection?.code.rawValue)
    }
}

extension PositionPayload {
    init(venue position: Position, mark: Double?, inventory state: InventoryState?) {
        self.init(account: position.account, symbol: position.symbol, base: position.base, quote: position.quote,
                  avgEntryPrice: position.averageEntryPrice, realizedPnl: position.realizedPnl,
                  unrealizedPnl: mark.map { position.unrealizedPnl(mark: $0) } ?? 0, fees: position.feesPaid, mark: mark)
        guard let state else { return }
        pendingBuy = state.pendingBuyQty
        pendingSell = state.pendingSellQty
        effectiveInventory = state.effectiveInventory
        maxInventory = state.maxInventory
        overLimit = state.isOverLimit
        hedgeSuggestion = state.hedgeSuggestion.map { "\($0.side.rawValue) \($0.qty): \($0.reason)" }
    }
}
