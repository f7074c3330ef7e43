import Synchronization

/// A bounded set of recently seen ids, so a re-published signal is not traded twice. The oldest
/// id is forgotten first.
public final class RecentIDs: Sendable {
    private let state: Mutex<(ids: Set<String>, ring: [String], next: Int)>
    private let capacity: Int

    /// Remembers at most `capacity` ids (at least one).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Mutex(([], [], 0))
    }

    /// True the first time `id` is seen.
    public func insert(_ id: String) -> Bool {
        state.withLock { state in
            guard state.ids.insert(id).inserted else { return false }
            if state.ring.count < capacity {
                state.ring.append(id)
            } else {
                state.ids.remove(state.ring[state.next])
                state.ring[state.next] = id
                state.next = (state.next + 1) % capacity
            }
            return true
        }
    }
}
