import Messaging
import Synchronization

/// The req/rep hops an agent has finished and not yet published as `trace.<agent>` events
/// (`AgentNode.hopObserver`): they go out together, at most `delay` after the first of them, or
/// before the agent's next heartbeat, whichever comes first.
///
/// A cycle's hops published one by one, as they end, each woke the bus and every trace
/// subscriber, on the CPUs the cycle's next steps were waiting for: with one subscriber to the
/// trace, a six-process cycle took about a sixth longer. Held, a few cycles' hops cross
/// the bus together, after the cycles that made them (docs/PERFORMANCE.md, change 125).
final class HeldHops: Sendable {
    /// How long the first hop held waits for others.
    static let delay: Duration = .milliseconds(20)

    private let state = Mutex<(hops: [RequestHop], flushDue: Bool)>(([], false))

    /// Holds `hop`; true when it is the first since the last `take()`, so the caller must see
    /// to a flush within `delay`.
    func hold(_ hop: RequestHop) -> Bool {
        state.withLock { held in
            held.hops.append(hop)
            defer { held.flushDue = true }
            return !held.flushDue
        }
    }

    /// The hops held, in the order they ended; none are held after it.
    func take() -> [RequestHop] {
        state.withLock { held in
            held.flushDue = false
            var taken: [RequestHop] = []
            swap(&taken, &held.hops)
            return taken
        }
    }
}
