import Trading

/// Where a symbol's quotes come from: a seeded GBM, or a replayed CSV of ticks.
enum MarketFeed: Sendable {
    case simulated(PriceProcess)
    case replay(TickReplay)

    /// The next quote; nil once a replay has run out (the last quote then stays in force).
    mutating func next() -> MarketQuote? {
        switch self {
        case .simulated(var process):
            let quote = process.next()
            self = .simulated(process)
            return quote
        case .replay(var replay):
            let quote = replay.next()
            self = .replay(replay)
            return quote
        }
    }
}
