/// Leverage by signal confidence: confidence ≥ 0.75 is high, ≥ 0.65 medium, below that low.
///
/// Each band is a range; within it leverage rises linearly with confidence and is
/// rounded down, so a high band of 10–20x gives 10x at 0.75 and 20x at 1. A preset
/// with a single value per band uses one-value ranges such as 5...5.
public struct LeverageBands: Sendable, Hashable, Codable {
    /// Lowest confidence of the high band.
    public var highFrom: Double
    /// Lowest confidence of the medium band.
    public var mediumFrom: Double
    /// Leverage across the high band, highFrom...1.
    public var high: ClosedRange<Int>
    /// Leverage across the medium band, mediumFrom..<highFrom.
    public var medium: ClosedRange<Int>
    /// Leverage across the low band, 0..<mediumFrom.
    public var low: ClosedRange<Int>

    /// Creates bands; the defaults are high 10–20x from 0.75, medium 5–10x
    /// from 0.65, low 2–5x.
    public init(
        highFrom: Double = 0.75, mediumFrom: Double = 0.65,
        high: ClosedRange<Int> = 10...20, medium: ClosedRange<Int> = 5...10, low: ClosedRange<Int> = 2...5
    ) {
        self.highFrom = highFrom
        self.mediumFrom = mediumFrom
        self.high = high
        self.medium = medium
        self.low = low
    }

    /// One leverage per band, as the conservative and aggressive presets give them.
    public init(high: Int, medium: Int, low: Int) {
        self.init(high: high...high, medium: medium...medium, low: low...low)
    }

    /// Leverage for `confidence` in 0...1; nil when it is outside 0...1 or not finite.
    public func leverage(confidence: Double) -> Int? {
        guard confidence.isFinite, (0...1).contains(confidence) else { return nil }
        if confidence >= highFrom { return Self.interpolate(high, confidence, from: highFrom, to: 1) }
        if confidence >= mediumFrom { return Self.interpolate(medium, confidence, from: mediumFrom, to: highFrom) }
        return Self.interpolate(low, confidence, from: 0, to: mediumFrom)
    }

    /// True when 0 < mediumFrom ≤ highFrom ≤ 1 and every leverage is at least 1.
    var isValid: Bool {
        mediumFrom.isFinite && highFrom.isFinite && 0 < mediumFrom && mediumFrom <= highFrom && highFrom <= 1
            && low.lowerBound >= 1 && medium.lowerBound >= 1 && high.lowerBound >= 1
    }

    private static func interpolate(_ range: ClosedRange<Int>, _ confidence: Double, from: Double, to: Double) -> Int {
        guard to > from else { return range.upperBound }
        let fraction = min(max((confidence - from) / (to - from), 0), 1)
        let span = Double(range.upperBound - range.lowerBound)
        return range.lowerBound + Int((fraction * span).rounded(.down))
    }
}
