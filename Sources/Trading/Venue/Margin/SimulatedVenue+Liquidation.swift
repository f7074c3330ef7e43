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
    /// The figures of the account's margin book (the symbol's quote asset) just before the
    /// cancels and the order.
    public var before: MarginState
}

extension SimulatedVenue {
    /// Liquidates one position of the first margin account whose equity in a margin book (a
    /// quote asset) is below that book's maintenance margin, or returns nil when none is.
    /// Only positions in that book's symbols are closed. First the account's resting
    /// orders on that symbol are cancelled (as a real venue does, freeing their margin), then
    /// a market order on the opposite
    /// side for the whole position (reduce-only: it can only close), at the touch with
    /// slippage and the taker fee, under a client order id "liquidation-<order id>" that is
    /// not remembered for replay. No funds or margin check applies. Call it after every quote
    /// update until it returns nil: each call is one order, so a store records each alone.
    /// With market depth the order walks the levels like any market order and takes what they
    /// hold; the rest of the position waits for the next call (after the levels refill).
    public mutating func liquidateNext(at timestampMicros: Int64) -> Liquidation? {
        for account in accountNames.indices where marginTerms[account] != nil {
            for collateral in collateralAssets {
                // Underwater as `MarginState.isUnderwater` says, told from the totals alone (every
                // margin book is looked at on every tick); the full figures only for one that is.
                guard let totals = marginTotals(account: account, book: collateral),
                      totals.maintenance.isPositive, totals.equity < totals.maintenance,
                      let state = margin(account: account, book: collateral) else { continue }
                for s in assets.quoteOf[collateral] {
                    let slot = slot(account: account, symbol: s), base = positionSlots[slot].base
                    guard !base.isZero, let touch = touches[s] else { continue }
                    let side: Side = base.isPositive ? .sell : .buy
                    let qty = base.magnitude
                    let number = ordersSubmitted + 1
                    let request = OrderRequest(clientOrderId: "liquidation-\(VenueOrderId.render(number))", account: accountNames[account],
                                               symbol: symbols[s], side: side, type: .market, qty: qty)
                    // With depth, the order takes what the levels hold (the rest stays open, to be
                    // liquidated as they refill); without, the whole position fills at the touch.
                    let takes = rules[s].depth.map { depth in
                        depthBooks[s].walk(side: side, qty: qty, depth: depth, touch: touch, tickSize: rules[s].tickSize, limit: nil)
                    } ?? [DepthBook.Take(level: 0, price: side == .sell ? touch.bid : touch.ask, qty: qty)]
                    guard !takes.isEmpty,
                          let (fills, cost, _) = try? priced(takes, of: request, orderId: VenueOrderId.render(number), symbol: s, limit: nil,
                                                             at: timestampMicros) else { continue }
                    let resting = openOrders.filter { $0.account == accountNames[account] && $0.symbol == symbols[s] }
                    let cancelled = resting.sorted { $0.sequence < $1.sequence }.compactMap { cancel(orderId: $0.orderId) }
                    ordersSubmitted += 1
                    if rules[s].depth != nil { depthBooks[s].take(takes, side: side) }
                    for fill in fills { book(slot: slot, side: side, price: fill.price, qty: fill.qty, fee: fill.fee) }
                    let filled = fills.reduce(Quantity.zero) { $0 + $1.qty }
                    let result: OrderResult
                    if filled == qty, fills.count == 1, let fill = fills.first {
                        result = OrderOutcome.record(OrderRecord(filled: request, number: number, price: fill.price, fee: fill.fee,
                                                                 at: timestampMicros)).result
                    } else {
                        result = OrderResult(orderId: VenueOrderId.render(number), clientOrderId: request.clientOrderId, account: request.account,
                                             symbol: request.symbol, side: side, type: .market, status: filled == qty ? .filled : .partiallyFilled,
                                             requestedQty: qty, limitPrice: nil, filledQty: filled, averagePrice: try? cost.perUnit(filled),
                                             fills: fills, rejection: nil)
                    }
                    return Liquidation(cancelled: cancelled, request: request, result: result, before: state)
                }
            }
        }
        return nil
    }
}
