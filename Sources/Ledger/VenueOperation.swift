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

/// What the ledger must know about the venue just before an operation: the order counter, to
/// tell a fresh result from a replay. Taking it starts the venue's `changes`, which note every
/// trading record and balance the operation moves with its value before, so each fill can carry
/// the holdings right after it even when one quote fills several orders of one account, and a
/// change without a fill (a symbol's first quote values starting base) is stored too.
///
/// Take it immediately before the venue call. In debug builds it also keeps every record and
/// balance, and the batch checks that `changes` noted each one that moved.
public struct LedgerMark: Sendable {
    /// `venue.ordersSubmitted` before the operation.
    public let ordersSubmitted: Int
    #if DEBUG
    /// Every trading record and balance before the operation, in the venue's slot order.
    private let records: [Position]
    private let balances: [AssetAmount]
    #endif

    /// Marks `venue` as it is now and starts its `changes`.
    public init(_ venue: inout SimulatedVenue) {
        ordersSubmitted = venue.ordersSubmitted
        venue.startChanges()
        #if DEBUG
        records = venue.tradingRecordSlots
        balances = venue.balanceSlots
        #endif
    }

    #if DEBUG
    /// True when `venue.changes` holds every record and balance that differs from the mark, each
    /// with the value the mark saw.
    func changesAreNoted(in venue: borrowing SimulatedVenue) -> Bool {
        let changes = venue.changes, recordsNow = venue.tradingRecordSlots, balancesNow = venue.balanceSlots
        return changes.records.allSatisfy { records[$0.slot] == $0.before }
            && changes.balances.allSatisfy { balances[$0.slot] == $0.before }
            && recordsNow.indices.allSatisfy { recordsNow[$0] == records[$0] || changes.recordBefore($0) != nil }
            && balancesNow.indices.allSatisfy { balancesNow[$0] == balances[$0] || changes.balanceBefore($0) != nil }
    }
    #endif
}
