/// The QuantAnalyst's reading of a price series.
public struct MarketAnalysis: Sendable, Hashable, Codable {
    /// Which way the trend leans.
    public var direction: Direction
    /// Strength of the call in 0...1; 0 when flat or short of data.
    public var confidence: Double
    /// Fast simple moving average, in quote per base unit.
    public var fastAverage: Double?
    /// Slow simple moving average, in quote per base unit.
    public var slowAverage: Double?
    /// Z-score of the latest price within the slow window; positive means stretched upward.
    public var momentumZ: Double?
    /// Standard deviation of log returns over the slow window, per sample.
    public var volatility: Double?
    /// Usable prices analysed.
    public var sampleCount: Int
    /// The numbers behind the call, in words.
    public var reason: String

    /// Creates an analysis.
    public init(
        direction: Direction, confidence: Double, fastAverage: Double? = nil,
        slowAverage: Double? = nil, momentumZ: Double? = nil, volatility: Double? = nil,
        sampleCount: Int, reason: String
    ) {
        self.direction = direction
        self.confidence = confidence
        self.fastAverage = fastAverage
        self.slowAverage = slowAverage
        self.momentumZ = momentumZ
        self.volatility = volatility
        self.sampleCount = sampleCount
        self.reason = reason
    }
}
