import Foundation
import Synchronization

/// The subscription prefixes a publishing XPUB has been told about (with how many subscribers
/// hold each), so a publisher can wait for one that matches a topic, or skip a message nobody
/// would receive.
final class SubscriptionRegistry: Sendable {
    private let prefixes = StateWatch<[Data: Int]>([:])
    /// The same prefixes as bytes, for `covers`; changed with `prefixes`, under its lock.
    private let matchable = Mutex(TopicPrefixes())
    /// How many times the prefixes changed, counted once each change can be matched against.
    private let changes = Atomic<UInt64>(0)

    /// Applies one message an XPUB delivers: `0x01<prefix>` on subscribe, `0x00<prefix>` on
    /// unsubscribe; anything else is ignored.
    func apply(_ frames: Frames) {
        guard let frame = frames.first, let flag = frame.first, flag <= 1 else { return }
        update(prefix: Data(frame.dropFirst()), subscribed: flag == 1)
    }

    func update(prefix: Data, subscribed: Bool) {
        prefixes.update { prefixes in
            let count = prefixes[prefix, default: 0] + (subscribed ? 1 : -1)
            prefixes[prefix] = count > 0 ? count : nil
            let known = TopicPrefixes(prefixes.keys)
            matchable.withLock { $0 = known }
            changes.add(1, ordering: .releasing)
        }
    }

    /// How many times the known prefixes have changed: while it stays the same, so does every
    /// answer of `covers` (`TopicInterest`).
    var changeCount: UInt64 { changes.load(ordering: .acquiring) }

    /// Whether some known prefix matches `topic` now. Asked for every event and every hop, so it
    /// reads a byte copy of the prefixes kept for it (`TopicPrefixes`), not the table of counts.
    func covers(_ topic: String) -> Bool {
        matchable.withLock { $0.matches(topic) }
    }

    /// Waits until some prefix matches `topic` (or, with `covered` false, until none does);
    /// false when `timeout` passes first.
    func wait(for topic: Data, covered: Bool = true, timeout: Duration) async -> Bool {
        await prefixes.wait(timeout: timeout) { prefixes in prefixes.keys.contains { topic.starts(with: $0) } == covered }
    }
}
