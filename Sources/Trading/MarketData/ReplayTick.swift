/// One row of a recorded market: the touch at an instant, with optional last trade and
/// volume.
public struct ReplayTick: Sendable, Hashable, Codable {
    /// When the quote was seen, microseconds since the Unix epoch.
    public var timestampMicros: Int64
    /// Best bid.
    public var bid: Double
    /// Best ask; never below the bid.
    public var ask: Double
    /// Last trade price, when the file has one for this row.
    public var last: Double?
    /// Traded volume, when the file has one for this row.
    public var volume: Double?

    /// Creates a tick.
    public init(timestampMicros: Int64, bid: Double, ask: Double, last: Double? = nil, volume: Double? = nil) {
        self.timestampMicros = timestampMicros
        self.bid = bid
        self.ask = ask
        self.last = last
        self.volume = volume
    }

    /// The tick as a venue quote; a missing last is taken as the mid.
    public var quote: MarketQuote {
        MarketQuote(bid: bid, ask: ask, last: last ?? (bid + ask) / 2)
    }
}

/// Steps through recorded ticks, yielding one quote per step for
/// `SimulatedVenue.updateQuote`; `current` holds the tick just yielded, for its time.
public struct TickReplay: Sequence, IteratorProtocol, Sendable {
    /// Every tick of the replay, oldest first.
    public let ticks: [ReplayTick]
    /// The tick behind the last quote yielded; nil before the first step.
    public private(set) var current: ReplayTick?
    private var nextIndex = 0

    /// Replays `ticks` in the order given.
    public init(ticks: [ReplayTick]) {
        self.ticks = ticks
    }

    /// Parses `csv` (see `ReplayCSV.parse`) and replays it.
    public init(csv: String, timeUnit: ReplayTimeUnit = .microseconds) throws(TradingError) {
        self.init(ticks: try ReplayCSV.parse(csv, timeUnit: timeUnit))
    }

    /// Ticks not yet yielded.
    public var remaining: Int { ticks.count - nextIndex }

    /// The next quote, nil when the recording is exhausted.
    public mutating func next() -> MarketQuote? {
        guard nextIndex < ticks.count else { return nil }
        current = ticks[nextIndex]
        nextIndex += 1
        return current?.quote
    }
}
