import Ledger
import Synchronization

/// A bounded set of recently seen ids, so a re-published signal is not traded twice. The oldest
/// id is forgotten first.
///
/// Ids are kept as 64-bit fingerprints (a keyed hash, seeded per process), not as strings: 16
/// bytes an id instead of about 120, so 100,000 ids take under 2 MB. Two different ids share a
/// fingerprint with probability about n / 2^64 (5 × 10⁻¹⁵ per new id with 100,000 held), the
/// only way a new signal could be taken for a repeat.
public final class RecentIDs: Sendable {
    private let state: Mutex<(ids: Set<UInt64>, ring: [UInt64], next: Int)>
    private let capacity: Int

    /// Remembers at most `capacity` ids (at least one).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Mutex(([], [], 0))
    }

    /// True the first time `id` is seen.
    public func insert(_ id: String) -> Bool {
        let fingerprint = IdFingerprint.of(id)
        return state.withLock { state in
            guard state.ids.insert(fingerprint).inserted else { return false }
            if state.ring.count < capacity {
                state.ring.append(fingerprint)
            } else {
                state.ids.remove(state.ring[state.next])
                state.ring[state.next] = fingerprint
                state.next = (state.next + 1) % capacity
            }
            return true
        }
    }
}
