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
        let key = Self.key(label, dimensions)
        if let known = counters.withLock({ $0[key] }) { return known }
        let made = Counter(label: label, dimensions: dimensions)
        return counters.withLock { table in
            if let known = table[key] { return known }
            table[key] = made
            return made
        }
    }

    /// The timer `label` with `dimensions`.
    public static func timer(_ label: String, _ dimensions: [(String, String)] = []) -> Timer {
        let key = Self.key(label, dimensions)
        if let known = timers.withLock({ $0[key] }) { return known }
        let made = Timer(label: label, dimensions: dimensions)
        return timers.withLock { table in
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
