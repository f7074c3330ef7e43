/// Puts a `QuantReport` into words, numbers included, so the director's log shows why
/// a call was made without decoding the fields.
enum QuantThesis {
    /// E.g. "long, score 0.62, trend strength 0.97: fast EMA 127.00 above slow EMA 119.50 by 6.28%,
    /// RSI 100.0, momentum z 1.61, volatility 0.04% per sample, ATR 5.00, support 110.00, resistance 129.00".
    static func describe(_ report: QuantReport, flatThreshold: Double) -> String {
        // Written as bytes into one buffer (`ComposedText`), made a string once.
        var text: ComposedText = report.direction == .flat
            ? "flat, score \(fixed: report.technicalScore, 2) within ±\(fixed: flatThreshold, 2)"
            : "\(report.direction.rawValue), score \(fixed: report.technicalScore, 2)"
        text.append(", trend strength \(fixed: report.trendStrength, 2): ")
        if let crossover = report.crossover {
            appendAverages(crossover, to: &text)
            text.appendLiteral(", ")
        }
        text.appendLiteral("RSI ")
        if let rsi = report.rsi { text.appendInterpolation(fixed: rsi, 1) } else { text.appendLiteral("n/a") }
        text.appendLiteral(", momentum z ")
        if let z = report.momentumZ { text.appendInterpolation(fixed: z, 2) } else { text.appendLiteral("n/a") }
        text.appendLiteral(", volatility ")
        if let volatility = report.volatility { text.append("\(percent: volatility) per sample") } else { text.appendLiteral("n/a") }
        text.appendLiteral(", ATR ")
        if let atr = report.atr { text.appendInterpolation(price: atr) } else { text.appendLiteral("n/a") }
        if let levels = report.keyLevels {
            text.append(", support \(price: levels.support), resistance \(price: levels.resistance)")
        }
        return text.string
    }

    private static func appendAverages(_ crossover: MovingAverageCrossover, to text: inout ComposedText) {
        let relation = switch crossover.direction {
        case .long: "above"
        case .short: "below"
        case .flat: "level with"
        }
        text.append("fast EMA \(price: crossover.fast) \(relation) slow EMA \(price: crossover.slow)")
        switch crossover.direction {
        case .long: text.append(" by \(percent: crossover.gap)")
        case .short: text.append(" by \(percent: -crossover.gap)")
        case .flat: break
        }
        if crossover.crossedAbove {
            text.appendLiteral(" (crossed above this sample)")
        } else if crossover.crossedBelow {
            text.appendLiteral(" (crossed below this sample)")
        }
    }
}
