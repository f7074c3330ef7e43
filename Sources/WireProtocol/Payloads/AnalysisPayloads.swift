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

/// `analyze.ok` and `analysis.<symbol>`: what the indicators say.
public struct AnalysisReport: MessagePayload, Hashable {
    public var symbol: String
    public var direction: Direction
    /// 0...1; 0 when there is too little data.
    public var confidence: Double
    public var sampleCount: Int
    public var fastSma: Double?
    public var slowSma: Double?
    public var momentumZ: Double?
    /// Standard deviation of per-tick log returns.
    public var volatility: Double?
    public var lastPrice: Double?
    /// The numbers behind the direction, in words.
    public var thesis: String

    enum CodingKeys: String, CodingKey {
        case symbol, direction, confidence, sampleCount = "sample_count", fastSma = "fast_sma", slowSma = "slow_sma"
        case momentumZ = "momentum_z", volatility, lastPrice = "last_price", thesis
    }

    /// Creates a report.
    public init(symbol: String, direction: Direction, confidence: Double, sampleCount: Int, fastSma: Double?,
                slowSma: Double?, momentumZ: Double?, volatility: Double?, lastPrice: Double?, thesis: String) {
        self.symbol = symbol
        self.direction = direction
        self.confidence = confidence
        self.sampleCount = sampleCount
        self.fastSma = fastSma
        self.slowSma = slowSma
        self.momentumZ = momentumZ
        self.volatility = volatility
        self.lastPrice = lastPrice
        self.thesis = thesis
    }

    public func validate() throws(ProtocolError) {
        try Check.name(symbol, "payload.symbol")
        try Check.unit(confidence, "payload.confidence")
    }
}
