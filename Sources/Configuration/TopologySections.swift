import Trading

// Each section decodes with defaults for absent keys, so a topology file states only what differs.

/// The MarketMaker's simulated market and venue.
public struct MarketSection: Sendable, Decodable, Hashable {
    /// Seed of every price process; same seed and orders → same fills.
    public var seed: UInt64 = 42
    /// Interval between market ticks.
    public var tickMs: Int = 100
    /// Interval between full `inventory.<symbol>` snapshots (besides the one after every change).
    public var inventoryMs: Int = 1_000
    public var takerFeeBps: Double = 10
    public var makerFeeBps: Double = 5
    public var slippageBps: Double = 0
    public var symbols: [SymbolSection] = [SymbolSection()]
    /// Hedge legs: each offsets one account's fills on another.
    public var hedges: [HedgeSection] = []
    /// Client order ids whose first result the MarketMaker keeps in memory (the most recent);
    /// older ones are read back from its ledger when retried. 0 keeps every one in memory.
    /// Without a ledger every id stays in memory whatever this says.
    public var clientOrderMemory: Int = 10_000
    /// Maintenance margin of accounts with `max_leverage`, in basis points of |notional|.
    public var maintenanceMarginBps: Int = 50
    /// Funding of every symbol's margin positions (`{"interval_s": 28800, "rate_bps": 1}`); a
    /// symbol's own `funding` replaces it. Absent: no funding.
    public var funding: FundingSection?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case seed, tickMs = "tick_ms", inventoryMs = "inventory_ms", takerFeeBps = "taker_fee_bps", makerFeeBps = "maker_fee_bps"
        case slippageBps = "slippage_bps", symbols, hedges, clientOrderMemory = "client_order_memory"
        case maintenanceMarginBps = "maintenance_margin_bps", funding
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.update(&seed, .seed)
        try c.update(&tickMs, .tickMs)
        try c.update(&inventoryMs, .inventoryMs)
        try c.update(&takerFeeBps, .takerFeeBps)
        try c.update(&makerFeeBps, .makerFeeBps)
        try c.update(&slippageBps, .slippageBps)
        try c.update(&symbols, .symbols)
        try c.update(&hedges, .hedges)
        try c.update(&clientOrderMemory, .clientOrderMemory)
        try c.update(&maintenanceMarginBps, .maintenanceMarginBps)
        funding = try c.decodeIfPresent(FundingSection.self, forKey: .funding)
    }
}

/// Funding of a perpetual symbol (a `FundingTerms`): every `interval_s` seconds of venue time,
/// on whole multiples of it since the epoch, margin accounts pay (longs, for a positive rate)
/// or receive `rate_bps` of their position's notional at the mid. Both keys are required; the
/// venue checks their ranges when it starts.
public struct FundingSection: Sendable, Decodable, Hashable {
    public var intervalSeconds: Int64
    public var rateBps: Double

    public init(intervalSeconds: Int64, rateBps: Double) {
        self.intervalSeconds = intervalSeconds
        self.rateBps = rateBps
    }

    enum CodingKeys: String, CodingKey {
        case intervalSeconds = "interval_s", rateBps = "rate_bps"
    }

    /// The venue's terms.
    public var terms: FundingTerms { FundingTerms(intervalSeconds: intervalSeconds, rateBps: rateBps) }
}

/// One simulated symbol's price process (geometric Brownian motion).
public struct SymbolSection: Sendable, Decodable, Hashable {
    public var symbol: String = "BTC-USD"
    public var startPrice: Double = 60_000
    /// Annualised drift.
    public var drift: Double = 0
    /// Annualised volatility.
    public var volatility: Double = 0.6
    public var tickSize: Double = 0.01
    public var spreadBps: Double = 2

    /// `tickSize` as an exact price: the nearest 10⁻⁸, which is the decimal the topology wrote.
    public var tick: Price { (try? Price(rounding: tickSize, .toNearestOrAwayFromZero)) ?? Price(raw: 1) }
    /// The assets the symbol trades: `base_asset` and `quote_asset` where given, else the
    /// ones its name spells ("BTC-USD"); nil when neither names them.
    public var assets: AssetPair? {
        let spelled = AssetPair(symbol: symbol)
        guard let base = venue.baseAsset ?? spelled?.base, let quote = venue.quoteAsset ?? spelled?.quote else { return nil }
        return AssetPair(base: base, quote: quote)
    }
    /// The maximum inventory in base units: |effective inventory| above it is over the limit.
    public var maxInventory: Quantity?
    /// Minimum size, displayed size, replay file and quoting (the keys sit in the symbol's object).
    public var venue: SymbolVenueSection = SymbolVenueSection()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case symbol, startPrice = "start_price", drift, volatility, tickSize = "tick_size", spreadBps = "spread_bps"
        case maxInventory = "max_inventory"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try c.decode(String.self, forKey: .symbol)
        try c.update(&startPrice, .startPrice)
        try c.update(&drift, .drift)
        try c.update(&volatility, .volatility)
        try c.update(&tickSize, .tickSize)
        try c.update(&spreadBps, .spreadBps)
        maxInventory = try c.exactIfPresent(.maxInventory)
        venue = try SymbolVenueSection(from: decoder)
    }
}

/// An account at the venue and its starting balances per asset.
public struct AccountSection: Sendable, Decodable, Hashable {
    public var name: String = "desk"
    /// Whether sells may take base below zero (perp/short mode).
    public var allowShort: Bool = false
    /// Starting balance per asset, e.g. `{"USD": "50000", "BTC": "0"}`: one USD balance pays
    /// for every USD-quoted symbol. Amounts are JSON numbers or decimal strings.
    public var balances: [String: AssetAmount] = ["USD": 100_000]
    /// For a short-enabled account, the leverage it may use (`max_leverage`): orders are then
    /// checked against initial margin = |notional| / max_leverage and the account is
    /// liquidated below `market.maintenance_margin_bps`. Absent on a short-enabled account:
    /// leverage 1 (fully collateralised); ignored by a spot account's checks.
    public var maxLeverage: Int?

    public init() {}

    enum CodingKeys: String, CodingKey { case name, allowShort = "allow_short", balances, maxLeverage = "max_leverage" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        try c.update(&allowShort, .allowShort)
        maxLeverage = try c.decodeIfPresent(Int.self, forKey: .maxLeverage)
        let amounts = try c.nestedContainer(keyedBy: AssetNameKey.self, forKey: .balances)
        var balances: [String: AssetAmount] = [:]
        for key in amounts.allKeys {
            if (try? amounts.nestedContainer(keyedBy: AssetNameKey.self, forKey: key)) != nil {
                throw DecodingError.dataCorruptedError(forKey: key, in: amounts, debugDescription: """
                    account '\(name)' gives '\(key.stringValue)' a {base, quote} object; balances are per asset now,                     e.g. "balances": {"USD": "50000", "BTC": "0"} (one USD balance for every USD-quoted symbol)
                    """)
            }
            if let text = try? amounts.decode(String.self, forKey: key) {
                do { balances[key.stringValue] = try AssetAmount.parse(text) } catch {
                    throw DecodingError.dataCorruptedError(forKey: key, in: amounts, debugDescription: error.message)
                }
            } else {
                balances[key.stringValue] = try amounts.exact(key)
            }
        }
        self.balances = balances
    }
}

/// An asset name used as a key (`balances`' keys are the assets).
struct AssetNameKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The QuantAnalyst's indicator windows.
public struct AnalystSection: Sendable, Decodable, Hashable {
    public var fastPeriod: Int = 5
    public var slowPeriod: Int = 20
    public var rsiPeriod: Int = 14
    public var atrPeriod: Int = 14
    /// Ticks per bar for the ATR's high/low/close bars.
    public var ticksPerBar: Int = 5
    /// Ticks kept per symbol.
    public var window: Int = 500

    public init() {}

    enum CodingKeys: String, CodingKey {
        case fastPeriod = "fast_period", slowPeriod = "slow_period", rsiPeriod = "rsi_period", atrPeriod = "atr_period"
        case ticksPerBar = "ticks_per_bar", window
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.update(&fastPeriod, .fastPeriod)
        try c.update(&slowPeriod, .slowPeriod)
        try c.update(&rsiPeriod, .rsiPeriod)
        try c.update(&atrPeriod, .atrPeriod)
        try c.update(&ticksPerBar, .ticksPerBar)
        try c.update(&window, .window)
    }
}

/// The TradingDirector's cycle settings.
public struct DirectorSection: Sendable, Decodable, Hashable {
    /// The account the desk trades in.
    public var account: String = "desk"
    /// Time allowed for each step (analyze, assess, execute) before the cycle fails.
    public var stepTimeoutMs: Int = 3_000
    /// Reject a signal when the analysis points the other way with at least this confidence.
    public var contradictionThreshold: Double = 0.6
    /// Close whatever is left of a position held this long (the time stop); nil for none.
    public var timeStopS: Double?
    /// Interval between portfolio snapshots in the analytics database.
    public var snapshotMs: Int = 1_000
    /// How long a signal may wait to start its cycle, from its timestamp, unless it says
    /// (`ttl_ms`); one that cannot start in time gets a `failed` decision saying so.
    public var signalTtlMs: Int = 10_000
    /// Signals that may wait in one symbol's queue; one more gets a `rejected` decision at once.
    public var maxQueuedPerSymbol: Int = 1_000
    /// How long a cycle keeps sending an order whose `execute` went unanswered (a timeout, an
    /// unreachable or busy ExecutionAgent: the order may have reached the venue) before it fails
    /// saying the order is in doubt. Each send has the step's time; the order keeps its client
    /// order id, so the venue executes it at most once and answers a repeat with its first
    /// result. 0 fails after the first send's step time, as any other step does.
    public var orderInDoubtMs: Int = 10_000
    /// Decided signal ids the director remembers (in memory and in its store, across restarts),
    /// so a signal re-sent by a publisher that did not see its decision is not traded twice.
    public var rememberedSignals: Int = 100_000
    /// Whether every commit of the director's store and of its analytics is fsynced (survives a
    /// power cut), or, by default, only handed to the operating system (survives the director
    /// being killed; on disk at the next checkpoint).
    public var syncEveryCommit: Bool = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case account, stepTimeoutMs = "step_timeout_ms", contradictionThreshold = "contradiction_threshold"
        case timeStopS = "time_stop_s", snapshotMs = "snapshot_ms", signalTtlMs = "signal_ttl_ms"
        case maxQueuedPerSymbol = "max_queued_per_symbol", rememberedSignals = "remembered_signals"
        case syncEveryCommit = "sync_every_commit", orderInDoubtMs = "order_in_doubt_ms"
    }

    /// How long one attempt of a cycle step may take: the step's time shared by its attempts.
    public func stepAttemptMs(attempts: Int) -> Int { max(1, stepTimeoutMs / max(1, attempts)) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.update(&account, .account)
        try c.update(&stepTimeoutMs, .stepTimeoutMs)
        try c.update(&contradictionThreshold, .contradictionThreshold)
        timeStopS = try c.decodeIfPresent(Double.self, forKey: .timeStopS)
        try c.update(&snapshotMs, .snapshotMs)
        try c.update(&signalTtlMs, .signalTtlMs)
        try c.update(&maxQueuedPerSymbol, .maxQueuedPerSymbol)
        try c.update(&rememberedSignals, .rememberedSignals)
        try c.update(&syncEveryCommit, .syncEveryCommit)
        try c.update(&orderInDoubtMs, .orderInDoubtMs)
    }
}
