/// Puts a trend reading into words, numbers included.
enum TrendNarrative {
    /// E.g. "fast SMA 127.00 above slow SMA 119.50 by 6.28%, momentum z 1.61, volatility 0.04% per sample".
    static func describe(
        fast: Double, slow: Double, gap: Double, flatBand: Double, momentumZ: Double?, volatility: Double?
    ) -> String {
        let averages: String
        if gap > flatBand {
            averages = "fast SMA \(NumberText.price(fast)) above slow SMA \(NumberText.price(slow)) by \(NumberText.percent(gap))"
        } else if gap < -flatBand {
            averages = "fast SMA \(NumberText.price(fast)) below slow SMA \(NumberText.price(slow)) by \(NumberText.percent(-gap))"
        } else {
            averages = "fast SMA \(NumberText.price(fast)) within \(NumberText.percent(flatBand)) of slow SMA "
                + "\(NumberText.price(slow)) (gap \(NumberText.percent(gap)))"
        }
        let momentum = momentumZ.map { NumberText.fixed($0, 2) } ?? "n/a"
        let spread = volatility.map { NumberText.percent($0) + " per sample" } ?? "n/a"
        return "\(averages), momentum z \(momentum), volatility \(spread)"
    }
}
