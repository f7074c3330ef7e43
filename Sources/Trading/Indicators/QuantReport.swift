/// The QuantAnalyst's full technical reading of one price series, built by
/// `QuantReportBuilder`. Indicator fields are nil when the series is too short for them.
public struct QuantReport: Sendable, Hashable, Codable {
    /// Which way the technical score leans; flat inside the builder's flat band or short of data.
    public var direction: Direction
    /// Strength of the call in 0...1: |technicalScore| when long or short, 0 when flat.
    public var confidence: Double
    /// Weighted blend of trend, RSI and momentum in −1...1; positive is bullish.
    /// 0.5 × trend + 0.25 × (RSI − 50) / 50 + 0.25 × clamp(momentumZ / 2, −1, 1).
    public var technicalScore: Double
    /// How decisively the moving averages are apart, in 0...1 regardless of direction:
    /// g / (g + halfStrengthGap) with g = |EMA gap| / volatility.
    public var trendStrength: Double
    /// Standard deviation of log returns over the slow window, per sample, not annualised.
    public var volatility: Double?
    /// Support and resistance over the builder's level window.
    public var keyLevels: KeyLevels?
    /// Fast and slow EMAs, now and one sample earlier.
    public var crossover: MovingAverageCrossover?
    /// Wilder RSI in 0...100.
    public var rsi: Double?
    /// Wilder average true range, in quote per base unit.
    public var atr: Double?
    /// Z-score of the latest price within the slow window.
    public var momentumZ: Double?
    /// Latest usable price.
    public var lastPrice: Double?
    /// Usable prices analysed.
    public var sampleCount: Int
    /// The call and the numbers behind it, in words; "insufficient data: N of M prices"
    /// when too short.
    public var thesis: String

    /// Creates a report.
    public init(
        direction: Direction, confidence: Double, technicalScore: Double, trendStrength: Double,
        volatility: Double? = nil, keyLevels: KeyLevels? = nil, crossover: MovingAverageCrossover? = nil,
        rsi: Double? = nil, atr: Double? = nil, momentumZ: Double? = nil, lastPrice: Double? = nil,
        sampleCount: Int, thesis: String
    ) {
        self.direction = direction
        self.confidence = confidence
        self.technicalScore = technicalScore
        self.trendStrength = trendStrength
        self.volatility = volatility
        self.keyLevels = keyLevels
        self.crossover = crossover
        self.rsi = rsi
        self.atr = atr
        self.momentumZ = momentumZ
        self.lastPrice = lastPrice
        self.sampleCount = sampleCount
        self.thesis = thesis
    }
}
