import Foundation
import Synchronization

/// Recent replies by request id (as a packed `RequestKey`), so a retried request (same id) is
/// answered with the first reply's bytes without running its handler again, and a repeat of a
/// request still running is not run twice.
///
/// A retry can only come while its client is still retrying, so a reply is kept for
/// `retention` (the longest any client of the topology retries one request, with slack) and
/// then forgotten. Meanwhile at most `capacity` replies and `maxBytes` bytes of them are kept,
/// oldest forgotten first. Keeping a fixed number of replies instead made every server's memory
/// grow with its first ten thousand requests whatever the request rate, and a bound on their
/// number alone let large replies (inventory snapshots, metrics expositions) take tens of
/// megabytes. A reply is kept as its bytes only, copied into `ReplyBytes` (not the encoder's
/// buffer, which has room to spare, nor its `Data` and id), and whether it is an error; the
/// bytes and the tables give their memory back once a burst has passed.
final class ReplyCache: Sendable {
    /// The bytes of replies kept at most by default, 8 MiB: room for the count bound's 10,000
    /// replies at up to 800 bytes each (an order report with a fill is about 550), so the count
    /// binds first for the usual replies, while larger ones (an inventory snapshot of eight
    /// symbols is about 1,800) stop where the cache, its tables included (about 145 bytes a
    /// reply), stays under 10 MB of the 50 MB an agent may use (docs/PERFORMANCE.md, change 40).
    static let defaultMaxBytes = 8 << 20

    enum Lookup { case new, inFlight, done(body: Data, failed: Bool) }

    private struct Kept {
        var key: RequestKey
        var expiresUs: Int64
    }

    private enum Entry {
        case inFlight
        case done(ReplyBytes.Span, failed: Bool)
    }

    private struct State: ~Copyable {
        /// Every id being handled or answered, in one table: a new request costs one lookup.
        var entries: [RequestKey: Entry] = [:]
        /// The answered ids, oldest first, from `head` on; the entries before `head` are
        /// forgotten and compacted away once they are a quarter of the array, so that at the
        /// count bound the array stays within 4/3 of it (at half, it doubled once more).
        var order: [Kept] = []
        var head = 0
        /// The replies' bytes, and how many there are.
        var replies = ReplyBytes()
        var bytes = 0
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let maxBytes: Int
    private let retentionUs: Int64
    private let nowUs: @Sendable () -> Int64

    /// Keeps each reply `retention`, and at most `capacity` of them and `maxBytes` bytes of them
    /// (the newest reply is kept whatever its size); `nowUs` is a clock in microseconds
    /// (replaceable in tests).
    init(capacity: Int = 10_000, maxBytes: Int = ReplyCache.defaultMaxBytes, retention: Duration = .seconds(30),
         nowUs: @escaping @Sendable () -> Int64 = ReplyCache.monotonicMicros) {
        self.capacity = max(1, capacity)
        self.maxBytes = max(0, maxBytes)
        let (seconds, attoseconds) = retention.components
        self.retentionUs = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        self.nowUs = nowUs
    }

    /// Replies held now.
    var count: Int { state.withLock { $0.order.count - $0.head } }

    /// The bytes of the replies held now.
    var bytes: Int { state.withLock { $0.bytes } }

    /// The slabs of 256 KiB their bytes take now (`ReplyBytes`).
    var slabs: Int { state.withLock { $0.replies.slabCount } }

    /// Claims the request of `key` for processing unless it is already running or answered.
    func claim(_ key: RequestKey) -> Lookup {
        let now = nowUs()
        return state.withLock { state in
            forget(in: &state, before: now)
            // The common case, a new id, inserts in the same lookup; a repeat puts its entry back.
            guard let known = state.entries.updateValue(.inFlight, forKey: key) else { return .new }
            state.entries[key] = known
            switch known {
            case .inFlight: return .inFlight
            case let .done(span, failed): return .done(body: state.replies.read(span), failed: failed)
            }
        }
    }

    /// Records the reply to the request of `key` (a copy of its bytes).
    func complete(_ key: RequestKey, reply: EncodedReply) {
        let now = nowUs()
        state.withLock { state in
            // Only the request claimed: an answered one keeps its first reply.
            guard let index = state.entries.index(forKey: key), case .inFlight = state.entries.values[index] else { return }
            let span = state.replies.append(reply.body)
            state.entries.values[index] = .done(span, failed: reply.failure != nil)
            state.order.append(Kept(key: key, expiresUs: now + retentionUs))
            state.bytes += Int(span.count)
            forget(in: &state, before: now)
        }
    }

    /// Forgets the replies whose retention has passed and gives their room back. Serving does
    /// this as it goes; this is for a server gone quiet after a burst.
    func forgetExpired() {
        let now = nowUs()
        state.withLock { forget(in: &$0, before: now) }
    }

    /// Drops the replies that expired by `now` and, beyond them, the oldest while more than
    /// `capacity` or more than `maxBytes` bytes of them are held; then shrinks the tables once
    /// they are mostly empty.
    private func forget(in state: inout State, before now: Int64) {
        // The replies' bytes are in the order of `order`: each forgotten one ends where the next begins.
        var forgottenUpTo: Int?
        while state.head < state.order.count {
            let oldest = state.order[state.head]
            let held = state.order.count - state.head
            guard oldest.expiresUs <= now || held > capacity || (state.bytes > maxBytes && held > 1) else { break }
            if case let .done(span, _)? = state.entries.removeValue(forKey: oldest.key) {
                state.bytes -= Int(span.count)
                forgottenUpTo = span.start + Int(span.count)
            }
            state.head += 1
        }
        if let forgottenUpTo { state.replies.release(before: forgottenUpTo) }
        if state.head > 64, state.head * 4 >= state.order.count {
            // After a burst, a new array of the ids left; in steady state the same array.
            if (state.order.count - state.head) * 4 < state.order.capacity {
                state.order = Array(state.order[state.head...])
            } else {
                state.order.removeFirst(state.head)
            }
            state.head = 0
        }
        // A dictionary never shrinks by itself: rebuilt at the size of what is left.
        if state.entries.capacity > 64, state.entries.count * 4 < state.entries.capacity {
            var smaller = [RequestKey: Entry](minimumCapacity: state.entries.count)
            for (key, entry) in state.entries { smaller[key] = entry }
            state.entries = smaller
        }
    }

    /// Microseconds on a clock that never goes back (CLOCK_MONOTONIC).
    static func monotonicMicros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
