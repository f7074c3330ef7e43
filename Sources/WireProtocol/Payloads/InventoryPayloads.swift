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

/// `inventory.get.ok`, `inventory.<symbol>` and `account.<name>`: one row per account and
/// symbol, and (in `inventory.get.ok` and `account.<name>`) one entry per account with its
/// balance of every asset, its margin books and its version.
public struct InventorySnapshot: MessagePayload, Hashable {
    public var positions: [PositionPayload]
    /// Each matching account's balances per asset; nil in `inventory.<symbol>` events.
    public var accounts: [AccountPayload]?
    /// The MarketMaker run the accounts' versions count in (a random id chosen at its start);
    /// nil in `inventory.<symbol>` events and from a venue that does not version its accounts.
    public var venueEpoch: String?

    enum CodingKeys: String, CodingKey {
        case positions, accounts, venueEpoch = "venue_epoch"
    }

    /// Creates a snapshot.
    public init(positions: [PositionPayload], accounts: [AccountPayload]? = nil, venueEpoch: String? = nil) {
        self.positions = positions
        self.accounts = accounts
        self.venueEpoch = venueEpoch
    }
}

/// One account as the venue holds it: a balance per asset (one USD for every USD-quoted
/// symbol).
public struct AccountPayload: MessagePayload, Hashable {
    public var account: String
    public var balances: [AssetBalancePayload]
    /// Equity, margin used, available and maintenance margin, liquidation prices of a margin
    /// (short-enabled) account when the venue quotes every symbol in one asset; nil for a spot
    /// account, and when there are several quote assets (read `margins` then).
    public var margin: MarginPayload?
    /// The same figures per margin book, one per quote asset (each asset's positions margined
    /// against the account's balance of it); nil for a spot account.
    public var margins: [MarginPayload]?
    /// How many committed changes to the account's balances and positions the venue has made
    /// in its epoch (`venue_epoch`); nil from a venue that does not version its accounts.
    public var version: UInt64?
    /// The number of this `account.<name>` event among the account's events in the venue's
    /// epoch, from 1; nil in `inventory.get.ok`.
    public var sequence: UInt64?
    /// Set in an `account.<name>` event that lists only what changed since the account's
    /// previous event (whose `sequence` this is; `AccountEventDeltas`): `balances` then holds
    /// the balances that changed, and the snapshot's `positions` the rows that changed other
    /// than in `quote` (every row's `quote` is the account's balance of its quote asset). Nil in
    /// a whole listing.
    public var sinceSequence: UInt64?
    /// In an `account.<name>` event: the client order ids of the orders whose changes this
    /// event is the first of the account's events to show (each committed at this `version` or
    /// before). A RiskManager asked to assess after one of them (`assess`'s `after_order`) takes
    /// the event that names it as the account with that order in. Nil when it names none, and
    /// in `inventory.get.ok`.
    public var orders: [String]?

    enum CodingKeys: String, CodingKey {
        case account, balances, margin, margins, version, sequence, sinceSequence = "since_sequence", orders
    }

    /// Every margin book of the account: `margins`, or `margin` from a sender that lists only
    /// that; empty for a spot account.
    public var books: [MarginPayload] { margins ?? margin.map { [$0] } ?? [] }

    /// Creates an entry.
    public init(account: String, balances: [AssetBalancePayload], margin: MarginPayload? = nil, margins: [MarginPayload]? = nil,
                version: UInt64? = nil, sequence: UInt64? = nil, sinceSequence: UInt64? = nil, orders: [String]? = nil) {
        self.account = account
        self.balances = balances
        self.margin = margin
        self.margins = margins
        self.version = version
        self.sequence = sequence
        self.sinceSequence = sinceSequence
        self.orders = orders
    }
}

/// An account's balance of one asset and what resting orders hold back of it.
public struct AssetBalancePayload: MessagePayload, Hashable {
    public var asset: String
    /// Units held (negative only for a short-enabled account's base asset).
    public var amount: WireDecimal
    /// Units set aside for resting orders.
    public var reserved: WireDecimal
    /// amount − reserved: what a new order may spend.
    public var available: WireDecimal

    /// Creates a balance.
    public init(asset: String, amount: WireDecimal, reserved: WireDecimal, available: WireDecimal) {
        self.asset = asset
        self.amount = amount
        self.reserved = reserved
        self.available = available
    }
}

/// One account's holdings in one symbol, marked at the mid.
public struct PositionPayload: MessagePayload, Hashable {
    public var account: String
    public var symbol: String
    /// The account's balance of the symbol's base asset (negative = short, in short mode).
    public var base: WireDecimal
    /// The account's balance of the symbol's quote asset, shared by every symbol quoted in it.
    public var quote: WireDecimal
    /// The assets `base` and `quote` are balances of, e.g. "BTC" and "USD".
    public var baseAsset: String?
    public var quoteAsset: String?
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
        case hedgeSuggestion = "hedge_suggestion", baseAsset = "base_asset", quoteAsset = "quote_asset"
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

extension PositionPayload {
    /// Whether this row says what `other` says but for `quote`, field by field (an
    /// `account.<name>` event leaves out a row whose quote balance alone moved:
    /// `AccountEventDeltas`). Inlined where it is used: called across modules, both rows were
    /// copied out of their arrays for the call. A field added to the row must be added here.
    @inlinable @inline(__always)
    public func sameBesideQuote(_ other: PositionPayload) -> Bool {
        base == other.base && mark == other.mark && avgEntryPrice == other.avgEntryPrice && realizedPnl == other.realizedPnl
            && unrealizedPnl == other.unrealizedPnl && fees == other.fees && pendingBuy == other.pendingBuy
            && pendingSell == other.pendingSell && effectiveInventory == other.effectiveInventory && maxInventory == other.maxInventory
            && overLimit == other.overLimit && symbol == other.symbol && account == other.account && baseAsset == other.baseAsset
            && quoteAsset == other.quoteAsset && hedgeSuggestion == other.hedgeSuggestion
    }
}
