/// Puts a `QuantReport` into words, numbers included, so the director's log shows why
/// a call was made without decoding the fields.
enum QuantThesis {
    /// E.g. "long, score 0.62, trend strength 0.97: fast EMA 127.00 above slow EMA 119.50 by 6.28%,
    /// RSI 100.0, momentum z 1.61, volatility 0.04% per sample, ATR 5.00, support 110.00, resistance 129.00".
    static func describe(_ report: QuantReport, flatThreshold: Double) -> String {
        var parts: [String] = []
        if let crossover = report.crossover {
            parts.append(averages(crossover))
        }
        parts.append("RSI " + (report.rsi.map { NumberText.fixed($0, 1) } ?? "n/a"))
        parts.append("momentum z " + (report.momentumZ.map { NumberText.fixed($0, 2) } ?? "n/a"))
        parts.append("volatility " + (report.volatility.map { NumberText.percent($0) + " per sample" } ?? "n/a"))
        parts.append("ATR " + (report.atr.map(NumberText.price) ?? "n/a"))
        if let levels = report.keyLevels {
            parts.append("support \(NumberText.price(levels.support)), resistance \(NumberText.price(levels.resistance))")
        }
        let call = report.direction == .flat
            ? "flat, score \(NumberText.fixed(report.technicalScore, 2)) within ±\(NumberText.fixed(flatThreshold, 2))"
            : "\(report.direction.rawValue), score \(NumberText.fixed(report.technicalScore, 2))"
        return "\(call), trend strength \(NumberText.fixed(report.trendStrength, 2)): " + parts.joined(separator: ", ")
    }

    private static func averages(_ crossover: MovingAverageCrossover) -> String {
        let fast = NumberText.price(crossover.fast)
        let slow = NumberText.price(crossover.slow)
        let text: String
        switch crossover.direction {
        case .long: text = "fast EMA \(fast) above slow EMA \(slow) by \(NumberText.percent(crossover.gap))"
        case .short: text = "fast EMA \(fast) below slow EMA \(slow) by \(NumberText.percent(-crossover.gap))"
        case .flat: text = "fast EMA \(fast) level with slow EMA \(slow)"
        }
        if crossover.crossedAbove { return text + " (crossed above this sample)" }
        if crossover.crossedBelow { return text + " (crossed below this sample)" }
        return text
    }
}
