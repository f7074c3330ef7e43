import Foundation
import Synchronization

/// Recent replies by request id (as a packed `RequestKey`), so a retried request (same id) is
/// answered without running its handler again.
///
/// A retry can only come while its client is still retrying, so a reply is kept for
/// `retention` (the longest any client of the topology retries one request, with slack) and
/// then forgotten, and never more than `capacity` replies at once, oldest forgotten first.
/// Keeping a fixed number of replies instead made every server's memory grow with its first
/// ten thousand requests, about 1.4 KB each, whatever the request rate.
final class ReplyCache: Sendable {
    enum Lookup { case new, inFlight, done(EncodedReply) }

    private struct Kept {
        var key: RequestKey
        var expiresUs: Int64
    }

    private enum Entry {
        case inFlight
        case done(EncodedReply)
    }

    private struct State {
        /// Every id being handled or answered, in one table: a new request costs one lookup.
        var entries: [RequestKey: Entry] = [:]
        /// The answered ids, oldest first, from `head` on; the entries before `head` are
        /// forgotten and compacted away once they are half the array.
        var order: [Kept] = []
        var head = 0
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let retentionUs: Int64
    private let nowUs: @Sendable () -> Int64

    /// Keeps each reply `retention`, and at most `capacity` of them; `nowUs` is a clock in
    /// microseconds (replaceable in tests).
    init(capacity: Int = 10_000, retention: Duration = .seconds(30),
         nowUs: @escaping @Sendable () -> Int64 = ReplyCache.monotonicMicros) {
        self.capacity = max(1, capacity)
        let (seconds, attoseconds) = retention.components
        self.retentionUs = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        self.nowUs = nowUs
    }

    /// Replies held now.
    var count: Int { state.withLock { $0.order.count - $0.head } }

    /// Claims the request of `key` for processing unless it is already running or answered.
    func claim(_ key: RequestKey) -> Lookup {
        let now = nowUs()
        return state.withLock { state in
            Self.forget(in: &state, before: now, keeping: capacity)
            // The common case, a new id, inserts in the same lookup; a repeat puts its entry back.
            guard let known = state.entries.updateValue(.inFlight, forKey: key) else { return .new }
            state.entries[key] = known
            switch known {
            case .inFlight: return .inFlight
            case .done(let reply): return .done(reply)
            }
        }
    }

    /// Records the reply to the request of `key`.
    func complete(_ key: RequestKey, reply: EncodedReply) {
        let now = nowUs()
        state.withLock { state in
            if case .done? = state.entries.updateValue(.done(reply), forKey: key) { return }
            state.order.append(Kept(key: key, expiresUs: now + retentionUs))
            Self.forget(in: &state, before: now, keeping: capacity)
        }
    }

    /// Drops the replies that expired by `now` and, beyond them, the oldest while more than
    /// `capacity` are held.
    private static func forget(in state: inout State, before now: Int64, keeping capacity: Int) {
        while state.head < state.order.count,
              state.order[state.head].expiresUs <= now || state.order.count - state.head > capacity {
            state.entries.removeValue(forKey: state.order[state.head].key)
            state.head += 1
        }
        if state.head > 64, state.head * 2 >= state.order.count {
            state.order.removeFirst(state.head)
            state.head = 0
        }
    }

    /// Microseconds on a clock that never goes back (CLOCK_MONOTONIC).
    static func monotonicMicros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
