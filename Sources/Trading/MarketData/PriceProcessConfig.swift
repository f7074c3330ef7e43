/// Parameters of a simulated price path (see `PriceProcess`).
public struct PriceProcessConfig: Sendable, Hashable, Codable {
    /// Mid price at step zero, in quote currency per unit of base. Must be positive.
    public var startPrice: Double
    /// Annualised drift μ of the log price; any finite value (negative means a falling market).
    public var drift: Double
    /// Annualised volatility σ; finite and not negative (zero gives a deterministic path).
    public var volatility: Double
    /// Price grid spacing in quote currency; bid, ask and last all land on it. Must be positive.
    public var tickSize: Double
    /// Full bid–ask spread in basis points of the mid; finite and not negative.
    public var spreadBps: Double
    /// Simulated seconds between quotes. Must be positive.
    public var stepSeconds: Double

    /// Creates a configuration; `PriceProcess.init` validates it.
    public init(
        startPrice: Double,
        drift: Double = 0,
        volatility: Double = 0.5,
        tickSize: Double = 0.01,
        spreadBps: Double = 2,
        stepSeconds: Double = 1
    ) {
        self.startPrice = startPrice
        self.drift = drift
        self.volatility = volatility
        self.tickSize = tickSize
        self.spreadBps = spreadBps
        self.stepSeconds = stepSeconds
    }

    /// Every field checked; the first problem found is reported with its value.
    public func validated() throws(TradingError) -> PriceProcessConfig {
        try Self.require(startPrice.isFinite && startPrice > 0, "startPrice", startPrice, "positive and finite")
        try Self.require(drift.isFinite, "drift", drift, "finite")
        try Self.require(volatility.isFinite && volatility >= 0, "volatility", volatility, "finite and not negative")
        try Self.require(tickSize.isFinite && tickSize > 0, "tickSize", tickSize, "positive and finite")
        try Self.require(spreadBps.isFinite && spreadBps >= 0, "spreadBps", spreadBps, "finite and not negative")
        try Self.require(stepSeconds.isFinite && stepSeconds > 0, "stepSeconds", stepSeconds, "positive and finite")
        return self
    }

    private static func require(
        _ condition: Bool, _ name: String, _ value: Double, _ rule: String
    ) throws(TradingError) {
        guard condition else {
            throw TradingError(.invalidConfig, "price process \(name) must be \(rule), got \(value)")
        }
    }
}
