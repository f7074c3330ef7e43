import Trading

/// The RiskManager's limits: one of the planner's presets, with any field overridden.
///
/// ```json
/// "risk": { "preset": "conservative", "min_confidence": 0.3, "max_concurrent_positions": 2,
///           "stop_atr_multiplier": 2, "take_profits": [{ "risk_reward": 2, "fraction": 0.5 }] }
/// ```
public struct RiskSection: Sendable, Decodable, Hashable {
    /// `standard` (the planner's defaults), `conservative` or `aggressive`.
    public var preset: String = "standard"
    /// Signals below this confidence are refused before sizing.
    public var minConfidence: Double = 0.3
    /// Quantity step orders are rounded down to.
    public var lotSize: Quantity = Quantity(raw: 1)
    /// Stop distance assumed for a position held without a plan on record, and for a new
    /// one while the analysis has no ATR yet.
    public var assumedStopPct: Double = 0.02
    /// Cash kept back for fees, spread and slippage when sizing by cash.
    public var feeAllowanceBps: Double = 25
    /// The preset with the overrides applied.
    public var limits: TradePlannerLimits = TradePlannerLimits()

    /// The names `preset` accepts.
    public static let presets: [String: TradePlannerLimits] = [
        "standard": TradePlannerLimits(), "conservative": .conservative, "aggressive": .aggressive,
    ]

    public init() {}

    /// One `take_profits` entry.
    struct TakeProfitEntry: Decodable {
        var riskReward: Double
        var fraction: Double
        enum CodingKeys: String, CodingKey { case riskReward = "risk_reward", fraction }
    }

    enum CodingKeys: String, CodingKey {
        case preset, minConfidence = "min_confidence", lotSize = "lot_size", assumedStopPct = "assumed_stop_pct"
        case feeAllowanceBps = "fee_allowance_bps"
        case maxPositionSizePct = "max_position_size_pct", maxTotalExposurePct = "max_total_exposure_pct"
        case maxConcurrentPositions = "max_concurrent_positions", riskPerTradePct = "risk_per_trade_pct"
        case allowPyramiding = "allow_pyramiding", allowHedging = "allow_hedging", maxLeverage = "max_leverage"
        case defaultLeverage = "default_leverage", maxPortfolioHeatPct = "max_portfolio_heat_pct"
        case heatWarningPct = "heat_warning_pct", marginWarningPct = "margin_warning_pct"
        case marginCriticalPct = "margin_critical_pct", stopAtrMultiplier = "stop_atr_multiplier", stopPct = "stop_pct"
        case takeProfits = "take_profits"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.update(&preset, .preset)
        guard var l = Self.presets[preset] else {
            throw DecodingError.dataCorruptedError(
                forKey: .preset, in: c, debugDescription: "unknown preset '\(preset)'; use one of \(Self.presets.keys.sorted().joined(separator: ", "))")
        }
        try c.update(&minConfidence, .minConfidence)
        lotSize = try c.exactIfPresent(.lotSize) ?? lotSize
        try c.update(&assumedStopPct, .assumedStopPct)
        try c.update(&feeAllowanceBps, .feeAllowanceBps)
        func set<T: Decodable>(_ field: WritableKeyPath<TradePlannerLimits, T>, _ key: CodingKeys) throws {
            if let value = try c.decodeIfPresent(T.self, forKey: key) { l[keyPath: field] = value }
        }
        try set(\.maxPositionSizePct, .maxPositionSizePct)
        try set(\.maxTotalExposurePct, .maxTotalExposurePct)
        try set(\.maxConcurrentPositions, .maxConcurrentPositions)
        try set(\.riskPerTradePct, .riskPerTradePct)
        try set(\.allowPyramiding, .allowPyramiding)
        try set(\.allowHedging, .allowHedging)
        try set(\.maxLeverage, .maxLeverage)
        try set(\.defaultLeverage, .defaultLeverage)
        try set(\.maxPortfolioHeatPct, .maxPortfolioHeatPct)
        try set(\.portfolioHeatWarningPct, .heatWarningPct)
        try set(\.marginWarningPct, .marginWarningPct)
        try set(\.marginCriticalPct, .marginCriticalPct)
        let atr = try c.decodeIfPresent(Double.self, forKey: .stopAtrMultiplier)
        let pct = try c.decodeIfPresent(Double.self, forKey: .stopPct)
        switch (atr, pct) {
        case (.some, .some):
            throw DecodingError.dataCorruptedError(forKey: .stopPct, in: c, debugDescription: "give stop_atr_multiplier or stop_pct, not both")
        case (.some(let multiplier), nil): l.stopRule = .atr(multiplier: multiplier)
        case (nil, .some(let fraction)): l.stopRule = .percent(fraction)
        case (nil, nil): break
        }
        if let targets = try c.decodeIfPresent([TakeProfitEntry].self, forKey: .takeProfits) {
            l.takeProfits = targets.map { TakeProfitLevel(riskReward: $0.riskReward, fraction: $0.fraction) }
        }
        limits = l
    }
}
