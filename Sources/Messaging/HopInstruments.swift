import Metrics
import Synchronization

/// The counter and timer that one kind of hop outcome is recorded in (a request type and its
/// outcome, say), made on first use and kept by the client or server that records them.
///
/// Looking them up by a key of a few words costs one small hash per hop, where `Instruments`
/// would build and hash a string of the label and every dimension for each of the two; and
/// none when the key is the one looked up last (hops of one kind in a row, the common case).
final class HopInstruments<Key: Hashable & Sendable>: Sendable {
    private struct Made {
        var table: [Key: (counter: Counter, timer: Timer)] = [:]
        var last: (key: Key, pair: (counter: Counter, timer: Timer))?
    }

    private let made = Mutex(Made())

    /// The pair kept for `key`, made by `make` the first time.
    func pair(for key: Key, make: () -> (Counter, Timer)) -> (counter: Counter, timer: Timer) {
        let known = made.withLock { made -> (counter: Counter, timer: Timer)? in
            if let last = made.last, last.key == key { return last.pair }
            guard let pair = made.table[key] else { return nil }
            made.last = (key, pair)
            return pair
        }
        if let known { return known }
        let (counter, timer) = make()
        return made.withLock { made in
            if let known = made.table[key] { return known }
            made.table[key] = (counter, timer)
            made.last = (key, (counter, timer))
            return (counter, timer)
        }
    }

    /// Pairs made so far.
    var count: Int { made.withLock { $0.table.count } }
}
