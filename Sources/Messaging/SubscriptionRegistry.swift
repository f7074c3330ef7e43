import Foundation

/// The subscription prefixes a publishing XPUB has been told about (with how many subscribers
/// hold each), so a publisher can wait for one that matches a topic.
final class SubscriptionRegistry: Sendable {
    private let prefixes = StateWatch<[Data: Int]>([:])

    func update(prefix: Data, subscribed: Bool) {
        prefixes.update { prefixes in
            let count = prefixes[prefix, default: 0] + (subscribed ? 1 : -1)
            prefixes[prefix] = count > 0 ? count : nil
        }
    }

    func wait(for topic: Data, timeout: Duration) async -> Bool {
        await prefixes.wait(timeout: timeout) { prefixes in prefixes.keys.contains { topic.starts(with: $0) } }
    }
}
