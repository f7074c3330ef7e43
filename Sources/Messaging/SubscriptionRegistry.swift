import Foundation
import Synchronization

/// The subscription prefixes a publishing XPUB has been told about, and the tasks waiting for
/// one that matches a topic.
final class SubscriptionRegistry: Sendable {
    private struct Waiter {
        let id: Int
        let topic: Data
        let continuation: CheckedContinuation<Bool, Never>
    }

    private let state = Mutex<(prefixes: [Data: Int], waiters: [Waiter], nextID: Int)>(([:], [], 0))

    func update(prefix: Data, subscribed: Bool) {
        let ready: [Waiter] = state.withLock { state in
            state.prefixes[prefix, default: 0] += subscribed ? 1 : -1
            if state.prefixes[prefix, default: 0] <= 0 { state.prefixes[prefix] = nil }
            guard subscribed else { return [] }
            let matched = state.waiters.filter { $0.topic.starts(with: prefix) }
            state.waiters.removeAll { $0.topic.starts(with: prefix) }
            return matched
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    func wait(for topic: Data, timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            let id: Int? = state.withLock { state in
                if state.prefixes.keys.contains(where: { topic.starts(with: $0) }) { return nil }
                state.nextID += 1
                state.waiters.append(Waiter(id: state.nextID, topic: topic, continuation: continuation))
                return state.nextID
            }
            guard let id else { continuation.resume(returning: true); return }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { state -> Waiter? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                expired?.continuation.resume(returning: false)
            }
        }
    }
}
