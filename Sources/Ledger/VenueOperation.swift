import Trading

/// One call the MarketMaker made on its `SimulatedVenue`, with what the call returned:
/// the input `LedgerBatch.init(_:venue:since:at:)` turns into ledger rows.
public enum VenueOperation: Sendable {
    /// `venue.submit(request, at:)` returned `result` (possibly a replay, which records nothing).
    case submit(OrderRequest, OrderResult)
    /// `venue.updateQuote(symbol:quote:at:)` returned `fills`.
    case quote(fills: [Fill])
    /// `venue.cancel(orderId:)` returned `result` (nil: nothing was resting, nothing changed).
    case cancel(orderId: String, result: OrderResult?)
    /// `venue.replace(orderId: original.orderId, newQty:, newLimitPrice:, at:)` returned
    /// `result`. `original` is `venue.restingOrder(id:)` read just before the call: the
    /// ledger needs it to write down the replacement request the venue built from it.
    case replace(original: RestingOrder, newQty: Quantity?, newLimitPrice: Price?, result: OrderResult?)
    /// `venue.settleFunding(at:)` returned `settlement` (its payments and the funding clock).
    case funding(FundingSettlement)
}

/// What the ledger must know about the venue just before an operation: the order counter,
/// to tell a fresh result from a replay, and every position, so each fill can carry the
/// holdings right after it even when one quote fills several orders of one account, and
/// so a change without a fill (a symbol's first quote values starting base) is stored too.
///
/// Take it immediately before the venue call; it costs two array copies (the venue's trading
/// records and balances, in its slot order), which share storage with the venue until it
/// changes them.
public struct LedgerMark: Sendable {
    /// `venue.ordersSubmitted` before the operation.
    public let ordersSubmitted: Int
    /// Every trading record, in the venue's slot order (`SimulatedVenue.tradingRecordSlots`).
    let positions: [Position]
    /// Every asset balance, in the venue's slot order (`SimulatedVenue.balanceSlots`).
    let balances: [AssetAmount]

    /// Captures `venue` as it is now.
    public init(_ venue: borrowing SimulatedVenue) {
        ordersSubmitted = venue.ordersSubmitted
        positions = venue.tradingRecordSlots
        balances = venue.balanceSlots
    }
}
