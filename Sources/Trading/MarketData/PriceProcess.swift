/// A reproducible simulated market for one symbol: geometric Brownian motion on the mid,
/// quoted on a tick grid with a fixed proportional spread.
public struct PriceProcess: Sendable {
    /// Seconds in the 365-day year that `drift` and `volatility` are quoted over.
    public static let secondsPerYear: Double = 365 * 24 * 3600

    /// The validated parameters.
    public let config: PriceProcessConfig
    /// The latest quote; before the first `next()` it is the start price with the spread.
    public private(set) var current: MarketQuote
    /// The latest mid before tick rounding, the state the random walk evolves.
    public private(set) var mid: Double

    private var generator: SeededGenerator
    private let grid: TickGrid
    /// (μ − σ²/2)·dt, the deterministic part of each log step.
    private let logDriftPerStep: Double
    /// σ·√dt, scaling the normal shock of each log step.
    private let logShockScale: Double

    /// Creates a process; the same `config` and `seed` always yield the same quotes.
    public init(config: PriceProcessConfig, seed: UInt64) throws(TradingError) {
        self.config = try config.validated()
        let dt = config.stepSeconds / Self.secondsPerYear
        logDriftPerStep = (config.drift - config.volatility * config.volatility / 2) * dt
        logShockScale = config.volatility * dt.squareRoot()
        generator = SeededGenerator(seed: seed)
        grid = TickGrid(tick: config.tickSize)
        mid = config.startPrice
        current = Self.quote(mid: config.startPrice, spreadBps: config.spreadBps, grid: grid)
    }

    /// Advances one step and returns the new quote.
    public mutating func next() -> MarketQuote {
        let shock = generator.nextGaussian()
        let stepped = mid * exponential(logDriftPerStep + logShockScale * shock)
        // A runaway path (huge σ over many steps) must not turn the quote into inf or 0;
        // the mid is held on the grid's first tick or at its last finite value instead.
        if stepped.isFinite { mid = max(stepped, config.tickSize) }
        current = Self.quote(mid: mid, spreadBps: config.spreadBps, grid: grid)
        return current
    }

    /// Bid rounded down and ask rounded up so the quoted spread is never narrower than
    /// configured, and always at least one tick so the book is never locked.
    static func quote(mid: Double, spreadBps: Double, grid: TickGrid) -> MarketQuote {
        let halfSpread = mid * spreadBps / 20_000
        let bid = max(grid.down(mid - halfSpread), grid.tick)
        let ask = max(grid.up(mid + halfSpread), grid.nearest(bid + grid.tick))
        let last = min(max(grid.nearest(mid), bid), ask)
        return MarketQuote(bid: bid, ask: ask, last: last)
    }
}
