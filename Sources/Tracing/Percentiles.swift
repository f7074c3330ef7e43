/// Order statistics of a sample, nearest-rank.
public struct Percentiles: Sendable, Hashable {
    public let count: Int
    public let p50: Double
    public let p90: Double
    public let p99: Double
    public let max: Double

    /// Nil for an empty sample.
    public init?(_ values: [Double]) {
        let sorted = values.filter(\.isFinite).sorted()
        guard let last = sorted.last else { return nil }
        func rank(_ p: Double) -> Double {
            // Nearest rank: the smallest value with at least p of the sample at or below it.
            let index = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        count = sorted.count
        p50 = rank(0.5)
        p90 = rank(0.9)
        p99 = rank(0.99)
        max = last
    }
}
