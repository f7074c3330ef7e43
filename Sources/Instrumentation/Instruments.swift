import Metrics
import Synchronization

/// Counters and timers made once per label and dimensions, then reused. Making one through the
/// metrics factory (name checks, a registry lookup under its lock) costs more than updating it,
/// and the hot path updates several per message. Dimensions must come from a bounded set
/// (request types, agent and account names), never from free text off the network.
public enum Instruments {
    private static let counters = Mutex<[String: Counter]>([:])
    private static let timers = Mutex<[String: Timer]>([:])

    /// The counter `label` with `dimensions`.
    public static func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
        cached(counters, key(label, dimensions)) { Counter(label: label, dimensions: dimensions) }
    }

    /// The timer `label` with `dimensions`.
    public static func timer(_ label: String, _ dimensions: [(String, String)] = []) -> Timer {
        cached(timers, key(label, dimensions)) { Timer(label: label, dimensions: dimensions) }
    }

    private static func cached<Instrument: Sendable>(_ table: borrowing Mutex<[String: Instrument]>, _ key: String,
                                                     make: () -> Instrument) -> Instrument {
        if let known = table.withLock({ $0[key] }) { return known }
        let made = make()
        return table.withLock { table in
            if let known = table[key] { return known }
            table[key] = made
            return made
        }
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        var key = label
        for (name, value) in dimensions {
            key += "\u{1F}"
            key += name
            key += "="
            key += value
        }
        return key
    }
}
