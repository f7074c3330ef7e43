/// Which moving average a crossover compares.
public enum MovingAverageKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// `Indicators.sma`.
    case simple
    /// `Indicators.ema`, seeded with the SMA of its first window.
    case exponential
}

/// Where a fast moving average stands against a slow one, now and one sample earlier.
public struct MovingAverageCrossover: Sendable, Hashable, Codable {
    /// Fast average over the latest values.
    public var fast: Double
    /// Slow average over the latest values.
    public var slow: Double
    /// Both averages one sample earlier; nil when there was not yet enough data then.
    public var previousFast: Double?
    /// See `previousFast`.
    public var previousSlow: Double?

    /// Creates a crossover state.
    public init(fast: Double, slow: Double, previousFast: Double? = nil, previousSlow: Double? = nil) {
        self.fast = fast
        self.slow = slow
        self.previousFast = previousFast
        self.previousSlow = previousSlow
    }

    /// Which way the averages lean now: long when fast > slow, short when below, flat when equal.
    public var direction: Direction { Self.direction(fast, slow) }

    /// True on the sample where the fast average rose above the slow one (a "golden
    /// cross"): now above, one sample earlier at or below.
    public var crossedAbove: Bool {
        guard let previousFast, let previousSlow else { return false }
        return direction == .long && Self.direction(previousFast, previousSlow) != .long
    }

    /// True on the sample where the fast average fell below the slow one (a "death cross").
    public var crossedBelow: Bool {
        guard let previousFast, let previousSlow else { return false }
        return direction == .short && Self.direction(previousFast, previousSlow) != .short
    }

    /// (fast − slow) / slow: how far apart the averages are, as a fraction of the slow one.
    public var gap: Double { (fast - slow) / slow }

    private static func direction(_ fast: Double, _ slow: Double) -> Direction {
        fast > slow ? .long : fast < slow ? .short : .flat
    }
}

extension Indicators {
    /// The fast/slow crossover state of `values`, oldest first. Nil when `fastPeriod` ≥
    /// `slowPeriod` (the roles would be meaningless), when there are fewer than
    /// `slowPeriod` values, or when an average is not finite or the slow one is not positive.
    public static func crossover(
        _ values: [Double], fastPeriod: Int, slowPeriod: Int, kind: MovingAverageKind = .exponential
    ) -> MovingAverageCrossover? {
        guard fastPeriod > 0, fastPeriod < slowPeriod else { return nil }
        // Each average now and one sample earlier, without copying the earlier series.
        let fast, slow, previousFast, previousSlow: Double?
        switch kind {
        case .simple:
            (fast, slow) = (sma(values, period: fastPeriod), sma(values, period: slowPeriod))
            (previousFast, previousSlow) = (sma(values.dropLast(), period: fastPeriod), sma(values.dropLast(), period: slowPeriod))
        case .exponential:
            let fastPair = emaNowAndBefore(values, period: fastPeriod), slowPair = emaNowAndBefore(values, period: slowPeriod)
            (fast, slow) = (fastPair.flatMap { finite($0.now) }, slowPair.flatMap { finite($0.now) })
            (previousFast, previousSlow) = (fastPair?.before.flatMap(finite), slowPair?.before.flatMap(finite))
        }
        guard let fast, let slow, slow > 0 else { return nil }
        let bothEarlier = previousFast != nil && previousSlow != nil
        return MovingAverageCrossover(fast: fast, slow: slow,
                                      previousFast: bothEarlier ? previousFast : nil,
                                      previousSlow: bothEarlier ? previousSlow : nil)
    }
}
