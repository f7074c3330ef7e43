/// The limits `TradePlanner` sizes and vets a new position by: the trading session's
/// risk parameters plus the stop and take-profit rules.
/// Fractions are of account capital, e.g. 0.02 for 2 %.
public struct TradePlannerLimits: Sendable, Hashable, Codable {
    /// Largest notional of one position, as a fraction of capital.
    public var maxPositionSizePct: Double
    /// Largest notional of all positions together, as a fraction of capital.
    public var maxTotalExposurePct: Double
    /// Most positions open at once.
    public var maxConcurrentPositions: Int
    /// Capital lost if one trade runs to its stop.
    public var riskPerTradePct: Double
    /// Whether a position may be added to on the same side (pyramiding).
    public var allowPyramiding: Bool
    /// Whether a position may be opened against an existing one in the same symbol.
    public var allowHedging: Bool
    /// Highest leverage ever recommended.
    public var maxLeverage: Int
    /// Leverage for a proposal that carries no confidence.
    public var defaultLeverage: Int
    /// Leverage by signal confidence.
    public var leverageByConfidence: LeverageBands
    /// Largest portfolio heat, Σ(open risk) / capital, a new position may leave behind.
    /// Heat above 15 % is the danger zone, so that is the default ceiling.
    public var maxPortfolioHeatPct: Double
    /// Heat above which an approved plan carries a warning; 10 % by default.
    public var portfolioHeatWarningPct: Double
    /// Margin usage above which an approved plan carries a warning; 80 % by default.
    public var marginWarningPct: Double
    /// Margin usage above which the warning is critical; 90 % by default. Above 100 % the
    /// plan is rejected.
    public var marginCriticalPct: Double
    /// Where the stop goes.
    public var stopRule: StopRule
    /// Scale-out targets, nearest first.
    public var takeProfits: [TakeProfitLevel]

    /// Creates limits; the defaults are the standard session: 20 % per
    /// position, 60 % in total, 5 positions, 2 % risk per trade, no pyramiding or hedging,
    /// leverage at most 20 (default 10, bands 10–20 / 5–10 / 2–5), with a 2 × ATR stop
    /// and targets at 2R / 3R / 4R for 50 / 30 / 20 %.
    public init(
        maxPositionSizePct: Double = 0.20, maxTotalExposurePct: Double = 0.60, maxConcurrentPositions: Int = 5,
        riskPerTradePct: Double = 0.02, allowPyramiding: Bool = false, allowHedging: Bool = false,
        maxLeverage: Int = 20, defaultLeverage: Int = 10, leverageByConfidence: LeverageBands = LeverageBands(),
        maxPortfolioHeatPct: Double = 0.15, portfolioHeatWarningPct: Double = 0.10,
        marginWarningPct: Double = 0.80, marginCriticalPct: Double = 0.90,
        stopRule: StopRule = .atr(multiplier: 2), takeProfits: [TakeProfitLevel] = TakeProfitLevel.standardScaleOut
    ) {
        self.maxPositionSizePct = maxPositionSizePct
        self.maxTotalExposurePct = maxTotalExposurePct
        self.maxConcurrentPositions = maxConcurrentPositions
        self.riskPerTradePct = riskPerTradePct
        self.allowPyramiding = allowPyramiding
        self.allowHedging = allowHedging
        self.maxLeverage = maxLeverage
        self.defaultLeverage = defaultLeverage
        self.leverageByConfidence = leverageByConfidence
        self.maxPortfolioHeatPct = maxPortfolioHeatPct
        self.portfolioHeatWarningPct = portfolioHeatWarningPct
        self.marginWarningPct = marginWarningPct
        self.marginCriticalPct = marginCriticalPct
        self.stopRule = stopRule
        self.takeProfits = takeProfits
    }

    /// The conservative session: 10 % per position, 40 % in total, 3
    /// positions, 1 % risk, no pyramiding or hedging, leverage at most 5 (default 2;
    /// high 5, medium 3, low 2).
    public static let conservative = TradePlannerLimits(
        maxPositionSizePct: 0.10, maxTotalExposurePct: 0.40, maxConcurrentPositions: 3, riskPerTradePct: 0.01,
        allowPyramiding: false, allowHedging: false, maxLeverage: 5, defaultLeverage: 2,
        leverageByConfidence: LeverageBands(high: 5, medium: 3, low: 2))

    /// The aggressive session: 30 % per position, 80 % in total, 8
    /// positions, 3 % risk, pyramiding and hedging allowed, leverage at most 20 (default
    /// 10; high 20, medium 10, low 5).
    public static let aggressive = TradePlannerLimits(
        maxPositionSizePct: 0.30, maxTotalExposurePct: 0.80, maxConcurrentPositions: 8, riskPerTradePct: 0.03,
        allowPyramiding: true, allowHedging: true, maxLeverage: 20, defaultLeverage: 10,
        leverageByConfidence: LeverageBands(high: 20, medium: 10, low: 5))
}
