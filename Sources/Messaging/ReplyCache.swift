import Foundation
import Synchronization

/// Recent replies by request id, so a retried request (same id) is answered without running its
/// handler again. Bounded: the oldest entries are forgotten first.
final class ReplyCache: Sendable {
    enum Lookup { case new, inFlight, done(EncodedReply) }

    private struct State {
        var inFlight: Set<String> = []
        var done: [String: EncodedReply] = [:]
        var order: [String] = []
        var head = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    /// Claims `id` for processing unless it is already running or answered.
    func claim(_ id: String) -> Lookup {
        state.withLock { state in
            if let reply = state.done[id] { return .done(reply) }
            if state.inFlight.contains(id) { return .inFlight }
            state.inFlight.insert(id)
            return .new
        }
    }

    /// Records the reply to `id`.
    func complete(_ id: String, reply: EncodedReply) {
        state.withLock { state in
            state.inFlight.remove(id)
            state.done[id] = reply
            if state.order.count < capacity {
                state.order.append(id)
            } else {
                state.done.removeValue(forKey: state.order[state.head])
                state.order[state.head] = id
                state.head = (state.head + 1) % capacity
            }
        }
    }
}
