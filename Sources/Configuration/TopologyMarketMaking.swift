import Trading

// MarketMaker sections of a topology: per-symbol venue rules and data source, two-sided
// quoting, and hedge legs. Absent keys take the defaults shown.

/// Venue rules and the price source of one symbol, beyond its GBM parameters.
public struct SymbolVenueSection: Sendable, Decodable, Hashable {
    /// Quantity step in base units: every order is a whole number of lots.
    public var lotSize: Quantity = Quantity(raw: 1)
    /// Smallest order in base units, a whole number of lots.
    public var minQty: Quantity = 0
    /// Fees are rounded up to whole multiples of this, in quote (0.01 for cents).
    public var quoteStep: Money = Money(raw: 1)
    /// Base units a resting order may fill per market tick (nil: all at once).
    public var displayedSize: Quantity?
    /// A CSV of ticks (timestamp, bid, ask[, last, volume]) to replay instead of simulating.
    /// Relative paths are resolved against the topology file's folder.
    public var replay: String?
    /// Follow `replay` as it grows (like `tail -f`) instead of reading it once: each tick
    /// takes the next appended row, and the market holds still while none has arrived.
    public var replayFollow: Bool = false
    /// Two-sided quoting for this symbol; absent means the venue only serves the desk's orders.
    public var quoting: QuotingSection?
    /// The book taker orders walk; absent means any size fills at the touch.
    public var depth: DepthSection?
    /// The asset bought and sold (`base_asset`); absent takes it from the symbol's name
    /// ("BTC" of "BTC-USD").
    public var baseAsset: String?
    /// The asset prices are in (`quote_asset`); absent takes it from the symbol's name.
    public var quoteAsset: String?
    /// Funding of this symbol's margin positions; absent takes `market.funding`.
    public var funding: FundingSection?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case lotSize = "lot_size", minQty = "min_qty", quoteStep = "quote_step", displayedSize = "displayed_size", replay, replayFollow = "replay_follow", quoting, depth, funding
        case baseAsset = "base_asset", quoteAsset = "quote_asset"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lotSize = try c.exactIfPresent(.lotSize) ?? lotSize
        minQty = try c.exactIfPresent(.minQty) ?? minQty
        quoteStep = try c.exactIfPresent(.quoteStep) ?? quoteStep
        displayedSize = try c.exactIfPresent(.displayedSize)
        replay = try c.decodeIfPresent(String.self, forKey: .replay)
        try c.update(&replayFollow, .replayFollow)
        baseAsset = try c.decodeIfPresent(String.self, forKey: .baseAsset)
        quoteAsset = try c.decodeIfPresent(String.self, forKey: .quoteAsset)
        quoting = try c.decodeIfPresent(QuotingSection.self, forKey: .quoting)
        depth = try c.decodeIfPresent(DepthSection.self, forKey: .depth)
        funding = try c.decodeIfPresent(FundingSection.self, forKey: .funding)
    }
}

/// Market depth of one symbol (a `MarketDepth`): `levels` price levels each side of the touch,
/// `level_qty` base units each, `step_bps` apart (absent: one tick apart), refilled by
/// `refill_qty` per market tick (absent: whole); `unfilled` is `cancel` (fill what the book
/// holds, cancel the rest) or `reject` (reject an order the book cannot fill whole).
public struct DepthSection: Sendable, Decodable, Hashable {
    public var levels: Int
    public var levelQty: Quantity
    public var stepBps: Double?
    public var refillQty: Quantity?
    public var unfilled: MarketDepth.Unfilled = .cancel

    public init(levels: Int, levelQty: Quantity, stepBps: Double? = nil, refillQty: Quantity? = nil, unfilled: MarketDepth.Unfilled = .cancel) {
        self.levels = levels
        self.levelQty = levelQty
        self.stepBps = stepBps
        self.refillQty = refillQty
        self.unfilled = unfilled
    }

    enum CodingKeys: String, CodingKey {
        case levels, levelQty = "level_qty", stepBps = "step_bps", refillQty = "refill_qty", unfilled
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        levels = try c.decode(Int.self, forKey: .levels)
        levelQty = try c.exact(.levelQty)
        stepBps = try c.decodeIfPresent(Double.self, forKey: .stepBps)
        refillQty = try c.exactIfPresent(.refillQty)
        try c.update(&unfilled, .unfilled)
    }
}

/// Two-sided quoting (a `QuoteLadder`), with Hummingbot-style size skew or Avellaneda–Stoikov pricing.
public struct QuotingSection: Sendable, Decodable, Hashable {
    /// Account the quotes are placed for.
    public var account: String = "desk"
    /// Cancel and re-place every this many milliseconds.
    public var intervalMs: Int = 1_000
    /// Level spacing as a fraction of mid (0.001 = 10 bps).
    public var spread: Double = 0.001
    public var maxOrders: Int = 1
    /// Base units per level.
    public var quantity: Quantity = 0.01
    public var targetPosition: Double = 0
    public var maxPosition: Quantity = 1
    public var positionThreshold: Double = 0
    /// Fraction of a level step to shift both quotes against the position, 0…1.
    public var inventorySkew: Double = 0
    /// Flatten with a market order when unrealized PnL falls to −|stop_loss| (quote).
    public var stopLoss: Double?
    /// Flatten when unrealized PnL reaches this (quote).
    public var takeProfit: Double?
    /// Stop quoting after this many seconds (nil: for the life of the process).
    public var durationS: Double?
    /// `symmetric` (levels at mid × (1 ∓ spread × i)) or `avellaneda_stoikov`.
    public var mode: String = "symmetric"
    /// Avellaneda–Stoikov γ, κ and τ.
    public var riskAversion: Double = 0.1
    public var orderBookLiquidity: Double = 1.5
    public var horizon: Double = 1
    /// Mids used to estimate σ for Avellaneda–Stoikov.
    public var volatilityWindow: Int = 100
    /// Hummingbot-style size skew: target share of value held in base, and the band width.
    public var inventoryTargetBasePct: Double?
    public var inventoryRangeMultiplier: Double = 1

    public init() {}

    enum CodingKeys: String, CodingKey {
        case account, intervalMs = "interval_ms", spread, maxOrders = "max_orders", quantity, targetPosition = "target_position"
        case maxPosition = "max_position", positionThreshold = "position_threshold", inventorySkew = "inventory_skew"
        case stopLoss = "stop_loss", takeProfit = "take_profit", durationS = "duration_s", mode
        case riskAversion = "risk_aversion", orderBookLiquidity = "order_book_liquidity", horizon
        case volatilityWindow = "volatility_window", inventoryTargetBasePct = "inventory_target_base_pct"
        case inventoryRangeMultiplier = "inventory_range_multiplier"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.update(&account, .account)
        try c.update(&intervalMs, .intervalMs)
        try c.update(&spread, .spread)
        try c.update(&maxOrders, .maxOrders)
        quantity = try c.exactIfPresent(.quantity) ?? quantity
        try c.update(&targetPosition, .targetPosition)
        maxPosition = try c.exactIfPresent(.maxPosition) ?? maxPosition
        try c.update(&positionThreshold, .positionThreshold)
        try c.update(&inventorySkew, .inventorySkew)
        stopLoss = try c.decodeIfPresent(Double.self, forKey: .stopLoss)
        takeProfit = try c.decodeIfPresent(Double.self, forKey: .takeProfit)
        durationS = try c.decodeIfPresent(Double.self, forKey: .durationS)
        try c.update(&mode, .mode)
        try c.update(&riskAversion, .riskAversion)
        try c.update(&orderBookLiquidity, .orderBookLiquidity)
        try c.update(&horizon, .horizon)
        try c.update(&volatilityWindow, .volatilityWindow)
        inventoryTargetBasePct = try c.decodeIfPresent(Double.self, forKey: .inventoryTargetBasePct)
        try c.update(&inventoryRangeMultiplier, .inventoryRangeMultiplier)
    }
}

/// A hedge leg: every fill on `from` is offset by an opposite market order on `to`.
public struct HedgeSection: Sendable, Decodable, Hashable {
    public var from: String
    public var to: String
    /// Attempts per hedge order when the ExecutionAgent cannot be reached.
    public var attempts: Int = 3
    /// How long one attempt of a hedge order waits for the ExecutionAgent.
    public static let attemptTimeoutMs = 2_000

    public init(from: String, to: String, attempts: Int = 3) {
        self.from = from
        self.to = to
        self.attempts = attempts
    }

    enum CodingKeys: String, CodingKey { case from, to, attempts }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decode(String.self, forKey: .from)
        to = try c.decode(String.self, forKey: .to)
        try c.update(&attempts, .attempts)
    }
}
