import Instrumentation
import Metrics
import Synchronization
import WireProtocol

/// The director's instruments of its decisions: `hedgebus_decisions_total` by outcome and stage
/// and the `hedgebus_cycle_seconds` timer, kept once made.
///
/// `Instruments` finds an instrument by its label and every dimension's name and value, which
/// costs about 800 instructions a look-up with the dimensions' array made for it; a decision
/// made two (docs/PERFORMANCE.md, change 113). Here each instrument is made at the first decision
/// that needs it (after the agent has set its metrics system up) and kept: the timer once, each
/// counter under a key of its outcome and stage (stages come from a bounded set).
final class DecisionInstruments: Sendable {
    private struct Key: Hashable {
        var outcome: DecisionOutcome
        var stage: String
    }

    private struct Made {
        var cycle: Timer?
        var counters: [Key: Counter] = [:]
    }

    private let made = Mutex(Made())

    /// Counts `decision` by its outcome and stage, and records its cycle's latency (the time from
    /// its signal's arrival to it) in `hedgebus_cycle_seconds`.
    func record(_ decision: DecisionPayload) {
        let key = Key(outcome: decision.outcome, stage: decision.stage)
        let (counter, cycle) = made.withLock { ($0.counters[key], $0.cycle) }
        (counter ?? make(key)).increment()
        (cycle ?? makeCycle()).recordMicroseconds(decision.latencyUs)
    }

    /// The counter kept for decisions of `outcome` at `stage`, if one was made (for tests).
    func counter(of outcome: DecisionOutcome, at stage: String) -> Counter? {
        made.withLock { $0.counters[Key(outcome: outcome, stage: stage)] }
    }

    /// How many counters are kept (for tests).
    var countersKept: Int { made.withLock { $0.counters.count } }

    private func make(_ key: Key) -> Counter {
        let counter = Instruments.counter("hedgebus_decisions_total", [("outcome", key.outcome.rawValue), ("stage", key.stage)])
        made.withLock { $0.counters[key] = counter }
        return counter
    }

    private func makeCycle() -> Timer {
        let cycle = Instruments.timer("hedgebus_cycle_seconds")
        made.withLock { $0.cycle = cycle }
        return cycle
    }
}
