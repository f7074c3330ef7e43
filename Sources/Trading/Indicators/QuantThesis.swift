/// Puts a `QuantReport` into words, numbers included, so the director's log shows why
/// a call was made without decoding the fields.
enum QuantThesis {
    /// E.g. "long, score 0.62, trend strength 0.97: fast EMA 127.00 above slow EMA 119.50 by 6.28%,
    /// RSI 100.0, momentum z 1.61, volatility 0.04% per sample, ATR 5.00, support 110.00, resistance 129.00".
    static func describe(_ report: QuantReport, flatThreshold: Double) -> String {
        // One reserved string grown in place, instead of an array of parts joined.
        var text = ""
        text.reserveCapacity(256)
        if report.direction == .flat {
            text += "flat, score "
            text += NumberText.fixed(report.technicalScore, 2)
            text += " within ±"
            text += NumberText.fixed(flatThreshold, 2)
        } else {
            text += report.direction.rawValue
            text += ", score "
            text += NumberText.fixed(report.technicalScore, 2)
        }
        text += ", trend strength "
        text += NumberText.fixed(report.trendStrength, 2)
        text += ": "
        if let crossover = report.crossover {
            appendAverages(crossover, to: &text)
            text += ", "
        }
        text += "RSI "
        text += report.rsi.map { NumberText.fixed($0, 1) } ?? "n/a"
        text += ", momentum z "
        text += report.momentumZ.map { NumberText.fixed($0, 2) } ?? "n/a"
        text += ", volatility "
        if let volatility = report.volatility {
            text += NumberText.percent(volatility)
            text += " per sample"
        } else {
            text += "n/a"
        }
        text += ", ATR "
        text += report.atr.map(NumberText.price) ?? "n/a"
        if let levels = report.keyLevels {
            text += ", support "
            text += NumberText.price(levels.support)
            text += ", resistance "
            text += NumberText.price(levels.resistance)
        }
        return text
    }

    private static func appendAverages(_ crossover: MovingAverageCrossover, to text: inout String) {
        text += "fast EMA "
        text += NumberText.price(crossover.fast)
        switch crossover.direction {
        case .long: text += " above slow EMA "
        case .short: text += " below slow EMA "
        case .flat: text += " level with slow EMA "
        }
        text += NumberText.price(crossover.slow)
        switch crossover.direction {
        case .long:
            text += " by "
            text += NumberText.percent(crossover.gap)
        case .short:
            text += " by "
            text += NumberText.percent(-crossover.gap)
        case .flat: break
        }
        if crossover.crossedAbove {
            text += " (crossed above this sample)"
        } else if crossover.crossedBelow {
            text += " (crossed below this sample)"
        }
    }
}
