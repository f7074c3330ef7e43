import WireFormat
/// `inventory.get` (MarketMaker): balances and PnL, optionally narrowed to a symbol or account.
public struct InventoryQuery: RequestPayload, Hashable {
    public static var requestType: String { "inventory.get" }
    public typealias Reply = InventorySnapshot

    public var symbol: String?
    public var account: String?

    /// Creates a query; nil fields match everything.
    public init(symbol: String? = nil, account: String? = nil) {
        self.symbol = symbol
        self.account = account
    }
}

/// `inventory.get.ok` and `inventory.<symbol>`: one row per account and symbol.
public struct InventorySnapshot: MessagePayload, Hashable {
    public var positions: [PositionPayload]

    /// Creates a snapshot.
    public init(positions: [PositionPayload]) { self.positions = positions }
}

/// One account's holdings in one symbol, marked at the mid.
public struct PositionPayload: MessagePayload, Hashable {
    public var account: String
    public var symbol: String
    /// Base units held (negative = short, in short mode).
    public var base: WireDecimal
    /// Quote currency held.
    public var quote: WireDecimal
    public var avgEntryPrice: WireDecimal
    public var realizedPnl: WireDecimal
    public var unrealizedPnl: WireDecimal
    /// Fees paid so far, quote currency.
    public var fees: WireDecimal
    /// The mid used for `unrealized_pnl`.
    public var mark: WireDecimal?
    /// Base still to buy / sell in resting orders, and position + pending buy − pending sell.
    public var pendingBuy: WireDecimal?
    public var pendingSell: WireDecimal?
    public var effectiveInventory: WireDecimal?
    /// The configured limit on |effective inventory|, whether it is exceeded, and what would fix it.
    public var maxInventory: WireDecimal?
    public var overLimit: Bool?
    public var hedgeSuggestion: String?

    enum CodingKeys: String, CodingKey {
        case account, symbol, base, quote, avgEntryPrice = "avg_entry_price", realizedPnl = "realized_pnl"
        case unrealizedPnl = "unrealized_pnl", fees, mark, pendingBuy = "pending_buy", pendingSell = "pending_sell"
        case effectiveInventory = "effective_inventory", maxInventory = "max_inventory", overLimit = "over_limit"
        case hedgeSuggestion = "hedge_suggestion"
    }

    /// Creates a row.
    public init(account: String, symbol: String, base: WireDecimal, quote: WireDecimal, avgEntryPrice: WireDecimal,
                realizedPnl: WireDecimal, unrealizedPnl: WireDecimal, fees: WireDecimal, mark: WireDecimal?) {
        self.account = account
        self.symbol = symbol
        self.base = base
        self.quote = quote
        self.avgEntryPrice = avgEntryPrice
        self.realizedPnl = realizedPnl
        self.unrealizedPnl = unrealizedPnl
        self.fees = fees
        self.mark = mark
    }
}
