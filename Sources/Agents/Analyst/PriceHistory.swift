import Synchronization
import Trading

/// The last `capacity` last-trade prices per symbol, fed by `market.<symbol>` ticks, and the
/// latest reading of each symbol's prices: made at the first request after a new price and
/// reused by every request until the next one (ticks come every `tick_ms`, requests many times
/// more often).
///
/// A class whose state is behind a lock rather than an actor: every `analyze` request reads it,
/// and a call into an actor and back is two task switches on the request's path.
public final class PriceHistory: Sendable {
    private struct State {
        var prices: [String: [Double]] = [:]
        /// Only for symbols with prices, so requests naming unknown symbols keep nothing.
        var readings: [String: QuantReport] = [:]
    }

    private let capacity: Int
    private let state = Mutex(State())

    /// Keeps at most `capacity` prices per symbol (at least one).
    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Appends a last-trade price of `symbol`, forgetting the oldest beyond the capacity.
    public func record(symbol: String, price: Double) {
        state.withLock { state in
            // In place: the series is not copied out of the dictionary and back.
            state.prices[symbol, default: []].append(price)
            if let count = state.prices[symbol]?.count, count > capacity { state.prices[symbol]?.removeFirst(count - capacity) }
            state.readings[symbol] = nil
        }
    }

    /// The prices kept for `symbol`, oldest first.
    public func series(for symbol: String) -> [Double] { state.withLock { $0.prices[symbol] ?? [] } }

    /// `builder`'s reading of the prices kept for `symbol`, made once per new price. Every
    /// request of an analyst uses the same builder.
    public func reading(of symbol: String, by builder: QuantReportBuilder) -> QuantReport {
        state.withLock { state in
            if let kept = state.readings[symbol] { return kept }
            let series = state.prices[symbol] ?? []
            let reading = builder.build(prices: series)
            if !series.isEmpty { state.readings[symbol] = reading }
            return reading
        }
    }

    /// Symbols whose reading is kept (for tests).
    var readingsKept: Int { state.withLock { $0.readings.count } }
}
