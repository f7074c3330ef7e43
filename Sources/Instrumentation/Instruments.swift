import Metrics
import Synchronization

/// Counters and timers made once per label and dimensions, then reused. Making one through the
/// metrics factory (name checks, a registry lookup under its lock) costs more than updating it,
/// and the hot path updates several per message. Dimensions must come from a bounded set
/// (request types, agent and account names), never from free text off the network.
public enum Instruments {
    /// One instrument of a label and the dimensions it was made with.
    private struct Member<Instrument: Sendable>: Sendable {
        let dimensions: [(String, String)]
        let instrument: Instrument
    }

    // By label, then the label's dimension sets in the order first asked for: a label has a
    // few, so finding one by comparing them costs less than building and hashing a key of
    // label and dimensions on every call (the hot path asks on every decision and assessment).
    private static let counters = Mutex<[String: [Member<Counter>]]>([:])
    private static let timers = Mutex<[String: [Member<Timer>]]>([:])

    /// The counter `label` with `dimensions`.
    public static func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
        cached(counters, label, dimensions) { Counter(label: label, dimensions: dimensions) }
    }

    /// The timer `label` with `dimensions`.
    public static func timer(_ label: String, _ dimensions: [(String, String)] = []) -> Timer {
        cached(timers, label, dimensions) { Timer(label: label, dimensions: dimensions) }
    }

    private static func cached<Instrument: Sendable>(_ table: borrowing Mutex<[String: [Member<Instrument>]]>, _ label: String,
                                                     _ dimensions: [(String, String)], make: () -> Instrument) -> Instrument {
        if let known = table.withLock({ find(dimensions, in: $0[label]) }) { return known }
        let made = make()
        return table.withLock { table in
            if let known = find(dimensions, in: table[label]) { return known }
            table[label, default: []].append(Member(dimensions: dimensions, instrument: made))
            return made
        }
    }

    /// The instrument of `members` made with exactly `dimensions` (same names and values in the same order).
    private static func find<Instrument>(_ dimensions: [(String, String)], in members: [Member<Instrument>]?) -> Instrument? {
        guard let members else { return nil }
        for member in members where member.dimensions.count == dimensions.count {
            if zip(member.dimensions, dimensions).allSatisfy({ $0.0 == $1.0 && $0.1 == $1.1 }) { return member.instrument }
        }
        return nil
    }
}
