import WireFormat
import Trading

/// `analyze` (QuantAnalyst): read the recent market for `symbol` in the light of a signal.
public struct AnalyzeRequest: RequestPayload, Hashable {
    public static var requestType: String { "analyze" }
    public typealias Reply = AnalysisReport

    public var symbol: String
    /// The side the signal asks for, so the report can say whether it agrees.
    public var side: Side

    /// Creates a request.
    public init(symbol: String, side: Side) {
        self.symbol = symbol
        self.side = side
    }

    public func validate() throws(ProtocolError) { try Check.name(symbol, "payload.symbol") }
}

/// Support and resistance: the rolling low and high.
public struct KeyLevelsPayload: MessagePayload, Hashable {
    public var support: Double
    public var resistance: Double

    /// Creates levels.
    public init(support: Double, resistance: Double) {
        self.support = support
        self.resistance = resistance
    }
}

/// `analyze.ok` and `analysis.<symbol>`: what the indicators say. Indicator fields are null
/// while the window is too short for them.
public struct AnalysisReport: MessagePayload, Hashable {
    public var symbol: String
    public var direction: Direction
    /// 0...1; 0 when there is too little data or the call is flat.
    public var confidence: Double
    /// Blend of trend, RSI and momentum in −1...1; positive is bullish.
    public var technicalScore: Double
    /// How far apart the moving averages are relative to volatility, 0...1.
    public var trendStrength: Double
    public var sampleCount: Int
    public var fastEma: Double?
    public var slowEma: Double?
    /// Wilder RSI, 0...100.
    public var rsi: Double?
    /// Wilder average true range, quote per base unit.
    public var atr: Double?
    public var momentumZ: Double?
    /// Standard deviation of per-tick log returns.
    public var volatility: Double?
    public var keyLevels: KeyLevelsPayload?
    public var lastPrice: Double?
    /// The numbers behind the direction, in words.
    public var thesis: String
    /// True when the analyst answers every `analyze` of the symbol with this same report until
    /// its next `market.<symbol>` tick (its reading depends on the ticks alone), so a director
    /// may take it for the symbol's signals until then without asking; absent (nil) otherwise.
    public var holdsUntilTick: Bool?

    enum CodingKeys: String, CodingKey {
        case symbol, direction, confidence, technicalScore = "technical_score", trendStrength = "trend_strength"
        case sampleCount = "sample_count", fastEma = "fast_ema", slowEma = "slow_ema", rsi, atr
        case momentumZ = "momentum_z", volatility, keyLevels = "key_levels", lastPrice = "last_price", thesis
        case holdsUntilTick = "holds_until_tick"
    }

    /// Creates a report.
    public init(symbol: String, direction: Direction, confidence: Double, technicalScore: Double = 0, trendStrength: Double = 0,
                sampleCount: Int, fastEma: Double? = nil, slowEma: Double? = nil, rsi: Double? = nil, atr: Double? = nil,
                momentumZ: Double? = nil, volatility: Double? = nil, keyLevels: KeyLevelsPayload? = nil, lastPrice: Double? = nil,
                thesis: String, holdsUntilTick: Bool? = nil) {
        self.symbol = symbol
        self.direction = direction
        self.confidence = confidence
        self.technicalScore = technicalScore
        self.trendStrength = trendStrength
        self.sampleCount = sampleCount
        self.fastEma = fastEma
        self.slowEma = slowEma
        self.rsi = rsi
        self.atr = atr
        self.momentumZ = momentumZ
        self.volatility = volatility
        self.keyLevels = keyLevels
        self.lastPrice = lastPrice
        self.thesis = thesis
        self.holdsUntilTick = holdsUntilTick
    }

    public func validate() throws(ProtocolError) {
        try Check.name(symbol, "payload.symbol")
        try Check.unit(confidence, "payload.confidence")
        try Check.finite(technicalScore, "payload.technical_score")
        try Check.finite(trendStrength, "payload.trend_strength")
    }
}
