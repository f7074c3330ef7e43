/// Idempotency key: a client order id is unique per account, not venue-wide.
struct ClientOrderKey: Hashable, Sendable {
    var account: Int
    var clientOrderId: String
}

/// Where the first result of each (account, client order id) sits in the venue's remembered
/// results.
///
/// Keyed by the key's 64-bit hash rather than by the key itself: Swift's Dictionary keeps no
/// hashes, so with String keys every probe of a collision cluster reads a key string from the
/// heap, a cache miss each once millions of ids are remembered. Integer keys compare in place.
/// A hit is confirmed against the remembered result (`holds`); the rare key whose hash is
/// already taken by another key lives in a small exact map.
struct ClientOrderIndex: Sendable {
    private var byHash: [Int: Int] = [:]
    private var collided: [ClientOrderKey: Int] = [:]
    private let hash: @Sendable (ClientOrderKey) -> Int

    /// An empty index; `hash` is replaceable so tests can force collisions.
    init(hash: @escaping @Sendable (ClientOrderKey) -> Int = { $0.hashValue }) {
        self.hash = hash
    }

    /// Ids remembered.
    var count: Int { byHash.count + collided.count }

    /// The slot of `key`'s first result, or `next` (now claimed for it) when the key is new.
    /// `holds(slot)` says whether the result in `slot` belongs to `key`.
    mutating func claim(_ key: ClientOrderKey, next: Int, holds: (Int) -> Bool) -> Int {
        let slot = Self.take(&byHash[hash(key), default: -1], next)
        if slot == next || holds(slot) { return slot }
        return Self.take(&collided[key, default: -1], next)
    }

    /// The slot of `key`'s first result, nil when it has none.
    func find(_ key: ClientOrderKey, holds: (Int) -> Bool) -> Int? {
        guard let slot = byHash[hash(key)] else { return nil }
        return holds(slot) ? slot : collided[key]
    }

    mutating func reserveCapacity(_ more: Int) {
        byHash.reserveCapacity(byHash.count + more)
    }

    /// Stores `next` in an empty (−1) entry; returns what the entry holds afterwards.
    private static func take(_ entry: inout Int, _ next: Int) -> Int {
        if entry < 0 { entry = next }
        return entry
    }
}
