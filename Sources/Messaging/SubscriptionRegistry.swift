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

    /// Whether some known prefix matches `topic` now. Asked for every event and every hop, so the
    /// bytes are compared in place rather than through `Data`'s element-by-element iterator.
    func covers(_ topic: String) -> Bool {
        let known = prefixes.value
        guard !known.isEmpty else { return false }
        var topic = topic
        return topic.withUTF8 { topic in
            known.keys.contains { prefix in
                prefix.count <= topic.count && prefix.withUnsafeBytes { prefix in
                    prefix.isEmpty || memcmp(prefix.baseAddress!, topic.baseAddress!, prefix.count) == 0
                }
            }
        }
    }

    /// Waits until some prefix matches `topic` (or, with `covered` false, until none does);
    /// false when `timeout` passes first.
    func wait(for topic: Data, covered: Bool = true, timeout: Duration) async -> Bool {
        await prefixes.wait(timeout: timeout) { prefixes in prefixes.keys.contains { topic.starts(with: $0) } == covered }
    }
}
