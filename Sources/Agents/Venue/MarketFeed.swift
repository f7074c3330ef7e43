import Trading

/// Where a symbol's quotes come from: a seeded GBM, a replayed CSV of ticks, or a CSV
/// followed as it grows.
enum MarketFeed: Sendable {
    case simulated(PriceProcess)
    case replay(TickReplay)
    case following(ReplayFollower)

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
        case .following(var follower):
            let quote = follower.next()
            self = .following(follower)
            return quote
        }
    }

    /// Rows a followed file could not supply since the last call.
    mutating func takeProblems() -> [String] {
        guard case .following(var follower) = self else { return [] }
        let problems = follower.takeProblems()
        self = .following(follower)
        return problems
    }
}
