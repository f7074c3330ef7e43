import Metrics
import Synchronization

/// The counter and timer that one kind of hop outcome is recorded in (a request type and its
/// outcome, say), made on first use and kept by the client or server that records them.
///
/// Looking them up by a key of a few words costs one small hash per hop, where `Instruments`
/// would build and hash a string of the label and every dimension for each of the two.
final class HopInstruments<Key: Hashable & Sendable>: Sendable {
    private let made = Mutex<[Key: (counter: Counter, timer: Timer)]>([:])

    /// The pair kept for `key`, made by `make` the first time.
    func pair(for key: Key, make: () -> (Counter, Timer)) -> (counter: Counter, timer: Timer) {
        if let known = made.withLock({ $0[key] }) { return known }
        let (counter, timer) = make()
        return made.withLock { table in
            if let known = table[key] { return known }
            table[key] = (counter, timer)
            return (counter, timer)
        }
    }

    /// Pairs made so far.
    var count: Int { made.withLock { $0.count } }
}
