import Trading

/// Everything one venue operation changed, written to the ledger in one transaction so
/// that it is stored whole or not at all.
///
/// Usually built from the venue with `init(_:venue:since:at:)`; a plain value, so tests
/// and tools can also assemble one by hand.
public struct LedgerBatch: Sendable, Hashable {
    /// Orders the venue issued, each with the request it answered.
    public var orders: [LedgerOrder] = []
    /// New status of orders recorded earlier (part filled, filled, cancelled).
    public var statusChanges: [LedgerStatusChange] = []
    /// Fills and rejections in the order they happened.
    public var events: [LedgerEvent] = []
    /// Resting orders placed, or changed by a part fill or a failed replace.
    public var restingUpserts: [RestingOrderRecord] = []
    /// Ids of orders no longer resting (filled, cancelled, replaced).
    public var restingRemovals: [String] = []
    /// Holdings and reservations after the operation, for every (account, symbol) it touched.
    public var balances: [LedgerBalance] = []
    /// Every asset balance of each account the operation touched, after it.
    public var assetBalances: [AccountAssetBalance] = []
    /// The venue's order counter after the operation; nil keeps the stored one.
    public var ordersSubmitted: Int?
    /// Funding payments settled.
    public var funding: [FundingPayment] = []
    /// Per symbol whose funding clock moved, the latest funding time settled.
    public var fundingTimes: [String: Int64] = [:]

    /// Creates an empty batch.
    public init() {}

    /// True when recording it would change nothing, as for a replayed client order id.
    public var isEmpty: Bool {
        orders.isEmpty && statusChanges.isEmpty && events.isEmpty && restingUpserts.isEmpty
            && restingRemovals.isEmpty && balances.isEmpty && assetBalances.isEmpty && ordersSubmitted == nil && funding.isEmpty
            && fundingTimes.isEmpty
    }
}

/// An order the venue issued an id for, accepted or rejected.
public struct LedgerOrder: Sendable, Hashable {
    /// The request as the venue executed it (for a replace, the replacement it built).
    public var request: OrderRequest
    /// The venue's answer.
    public var result: OrderResult
    /// The venue's order number: n for order id "O-n". Orders are restored in this order.
    public var number: Int
    /// True when the venue keeps this result for replay of (account, client order id).
    /// At most one order per pair is; a replacement keeps its original's client id but
    /// is not the one replayed.
    public var isRemembered: Bool
    /// When it was handled, microseconds since the Unix epoch.
    public var timestampMicros: Int64

    /// Creates an order entry.
    public init(request: OrderRequest, result: OrderResult, number: Int, isRemembered: Bool, timestampMicros: Int64) {
        self.request = request
        self.result = result
        self.number = number
        self.isRemembered = isRemembered
        self.timestampMicros = timestampMicros
    }
}

/// A later status of a recorded order.
public struct LedgerStatusChange: Sendable, Hashable {
    /// Venue order id.
    public var orderId: String
    /// Its status now.
    public var status: OrderStatus

    /// Creates a status change.
    public init(orderId: String, status: OrderStatus) {
        self.orderId = orderId
        self.status = status
    }
}

/// The trading record of one account in one symbol with what its resting orders hold back.
public struct LedgerBalance: Sendable, Hashable {
    /// Position after the operation.
    public var position: Position
    /// Funds promised to resting orders after the operation.
    public var reserved: ReservedFunds

    /// Creates a balance; `reserved` must name the same account and symbol as `position`.
    public init(position: Position, reserved: ReservedFunds) {
        self.position = position
        self.reserved = reserved
    }
}
