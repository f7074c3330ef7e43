/// A liquidation the venue carried out: the account's resting orders on the symbol it
/// cancelled, the reduce-only market order that closed the position of an account whose
/// equity fell below its maintenance margin, and the figures that set it off.
public struct Liquidation: Sendable, Hashable {
    /// The account's resting orders on the symbol, cancelled before the order, oldest first.
    public var cancelled: [OrderResult]
    /// The order's request (what a ledger records as the order asked for).
    public var request: OrderRequest
    /// The filled order.
    public var result: OrderResult
    /// The account's margin figures just before the order.
    public var before: MarginState
}

extension SimulatedVenue {
    /// Liquidates one position of the first margin account whose equity is below its
    /// maintenance margin, or returns nil when no account is. First the account's resting
    /// orders on that symbol are cancelled (as a real venue does, freeing their margin), then
    /// a market order on the opposite
    /// side for the whole position (reduce-only: it can only close), at the touch with
    /// slippage and the taker fee, under a client order id "liquidation-<order id>" that is
    /// not remembered for replay. No funds or margin check applies. Call it after every quote
    /// update until it returns nil: each call is one order, so a store records each alone.
    /// Depth levels are not walked; the whole position fills at the touch.
    public mutating func liquidateNext(at timestampMicros: Int64) -> Liquidation? {
        for account in accountNames.indices where marginTerms[account] != nil {
            guard let state = margin(account: account), state.isUnderwater else { continue }
            for s in symbols.indices {
                let slot = slot(account: account, symbol: s), base = positionSlots[slot].base
                guard !base.isZero, let touch = touches[s] else { continue }
                let side: Side = base.isPositive ? .sell : .buy
                let qty = base.magnitude
                guard let price = try? slippage.slipped(side == .sell ? touch.bid : touch.ask, side: side),
                      let cost = try? price.notional(qty), let fee = try? takerFee.fee(on: cost, step: rules[s].quoteStep) else { continue }
                let resting = openOrders.filter { $0.account == accountNames[account] && $0.symbol == symbols[s] }
                let cancelled = resting.sorted { $0.sequence < $1.sequence }.compactMap { cancel(orderId: $0.orderId) }
                ordersSubmitted += 1
                let number = ordersSubmitted
                let request = OrderRequest(clientOrderId: "liquidation-\(VenueOrderId.render(number))", account: accountNames[account],
                                           symbol: symbols[s], side: side, type: .market, qty: qty)
                book(slot: slot, side: side, price: price, qty: qty, fee: fee)
                let result = OrderOutcome.record(OrderRecord(filled: request, number: number, price: price, fee: fee, at: timestampMicros)).result
                return Liquidation(cancelled: cancelled, request: request, result: result, before: state)
            }
        }
        return nil
    }
}
