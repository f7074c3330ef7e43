/// Everything a `SimulatedVenue` must get back after a restart to carry on as if it had
/// never stopped: positions, funds held for resting orders, the book in queue order, the
/// results remembered for client-order-id replay and the order counter.
///
/// Plain values, so a store can keep them wherever it likes; `SimulatedVenue.snapshot()`
/// makes one and `SimulatedVenue.restore(_:)` applies one.
public struct VenueSnapshot: Sendable, Hashable, Codable {
    /// Orders submitted so far (replays excluded); the next order id is "O-\(ordersSubmitted + 1)".
    public var ordersSubmitted: Int
    /// Positions to put back. A (account, symbol) left out keeps its configured starting balance.
    public var positions: [Position]
    /// Balances per account and asset, as the venue held them: checked on restore against
    /// what the positions imply (the positions are the record; these catch a mismatch).
    public var balances: [AccountAssetBalance]
    /// Funds held for resting orders. A (account, symbol) left out is recomputed from `restingOrders`.
    public var reservations: [ReservedFunds]
    /// Resting limit orders; any order, they are queued by price and sequence.
    public var restingOrders: [RestingOrderRecord]
    /// First result of every remembered (account, client order id), oldest first.
    public var rememberedResults: [OrderResult]
    /// Latest touch per symbol. Empty when the store keeps no quotes: the venue then waits
    /// for the next `updateQuote`, which also fills any resting order it crosses.
    public var quotes: [String: MarketQuote]
    /// The latest settled funding time per symbol (see `SimulatedVenue.settleFunding`); a
    /// symbol left out starts its funding clock afresh.
    public var fundingTimes: [String: Int64]

    /// Creates a snapshot.
    public init(
        ordersSubmitted: Int, positions: [Position] = [], balances: [AccountAssetBalance] = [], reservations: [ReservedFunds] = [],
        restingOrders: [RestingOrderRecord] = [], rememberedResults: [OrderResult] = [],
        quotes: [String: MarketQuote] = [:], fundingTimes: [String: Int64] = [:]
    ) {
        self.ordersSubmitted = ordersSubmitted
        self.positions = positions
        self.balances = balances
        self.reservations = reservations
        self.restingOrders = restingOrders
        self.rememberedResults = rememberedResults
        self.quotes = quotes
        self.fundingTimes = fundingTimes
    }
}

/// A resting limit order with the queue sequence that `RestingOrder` keeps internal, so it
/// can be stored and put back in the same place in the queue.
public struct RestingOrderRecord: Sendable, Hashable, Codable {
    /// Venue order id.
    public var orderId: String
    /// The client's id.
    public var clientOrderId: String
    /// Owning account.
    public var account: String
    /// Symbol.
    public var symbol: String
    /// Buy or sell.
    public var side: Side
    /// Quantity asked for, in base units.
    public var qty: Quantity
    /// Quantity already filled, in base units.
    public var filledQty: Quantity
    /// Limit price in quote per base unit.
    public var limitPrice: Price
    /// Quote still set aside for a buy; 0 for a sell. Kept as the venue computed it: fees
    /// of part fills are rounded up one by one, so recomputing from the remaining quantity
    /// could differ by a quote step.
    public var reservedQuote: Money
    /// When it was submitted, microseconds since the Unix epoch.
    public var submittedAtMicros: Int64
    /// Submission number: among equal prices the lower sequence fills first.
    public var sequence: Int

    /// Creates a record.
    public init(
        orderId: String, clientOrderId: String, account: String, symbol: String, side: Side,
        qty: Quantity, filledQty: Quantity, limitPrice: Price, reservedQuote: Money,
        submittedAtMicros: Int64, sequence: Int
    ) {
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.account = account
        self.symbol = symbol
        self.side = side
        self.qty = qty
        self.filledQty = filledQty
        self.limitPrice = limitPrice
        self.reservedQuote = reservedQuote
        self.submittedAtMicros = submittedAtMicros
        self.sequence = sequence
    }

    /// Quantity still to fill, in base units.
    public var remainingQty: Quantity { qty - filledQty }
}

/// Funds of one account in one symbol promised to its resting orders.
///
/// Stored as the venue holds them, so a restore checks them against the resting orders.
public struct ReservedFunds: Sendable, Hashable, Codable {
    /// Account.
    public var account: String
    /// Symbol.
    public var symbol: String
    /// Quote held back for resting buys.
    public var quote: Money
    /// Base held back for resting sells (their unfilled quantity).
    public var base: Quantity
    /// Unfilled quantity of resting buys: the pending buy exposure.
    public var buyQty: Quantity

    /// Creates a reservation.
    public init(account: String, symbol: String, quote: Money = 0, base: Quantity = 0, buyQty: Quantity = 0) {
        self.account = account
        self.symbol = symbol
        self.quote = quote
        self.base = base
        self.buyQty = buyQty
    }
}

/// One account's balance of one asset.
public struct AccountAssetBalance: Sendable, Hashable, Codable {
    /// Account.
    public var account: String
    /// Asset, e.g. "USD".
    public var asset: String
    /// Units held.
    public var amount: AssetAmount

    /// Creates a balance.
    public init(account: String, asset: String, amount: AssetAmount) {
        self.account = account
        self.asset = asset
        self.amount = amount
    }
}
