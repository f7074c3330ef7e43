import Foundation

/// The subscription prefixes a publishing XPUB has been told about (with how many subscribers
/// hold each), so a publisher can wait for one that matches a topic, or skip a message nobody
/// would receive.
final class SubscriptionRegistry: Sendable {
    private let prefixes = StateWatch<[Data: Int]>([:])

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
        }
    }

    /// Whether some known prefix matches `topic` now.
    func covers(_ topic: String) -> Bool {
        prefixes.value.keys.contains { topic.utf8.starts(with: $0) }
    }

    /// Waits until some prefix matches `topic` (or, with `covered` false, until none does);
    /// false when `timeout` passes first.
    func wait(for topic: Data, covered: Bool = true, timeout: Duration) async -> Bool {
        await prefixes.wait(timeout: timeout) { prefixes in prefixes.keys.contains { topic.starts(with: $0) } == covered }
    }
}
