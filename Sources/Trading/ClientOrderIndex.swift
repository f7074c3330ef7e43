/// Idempotency key: a client order id is unique per account, not venue-wide.
struct ClientOrderKey: Hashable, Sendable {
    var account: Int
    var clientOrderId: String
}

/// Where the first result of each (account, client order id) sits in the venue's remembered
/// results: an open-addressing hash table of (hash, slot) pairs, probed linearly.
///
/// A `Dictionary` keyed by the id would read a key string from the heap at every probe, and
/// one keyed by the id's hash hashes that hash again and reads three scattered places (the
/// occupancy bitmap, the key, the value): with millions of ids remembered each is a cache
/// miss. Here a probe reads one 16-byte entry holding the full hash and the slot. Only an
/// entry whose hash matches is confirmed against the remembered result (`holds`), so keys
/// whose hashes collide stay apart: the later one sits further along the probe sequence.
/// At most three quarters full; nothing is ever removed.
struct ClientOrderIndex: Sendable {
    private struct Entry: Sendable {
        /// The key's full hash.
        var hash: Int
        /// Where its result sits; `Entry.vacant.slot` in an empty entry.
        var slot: Int

        static let vacant = Entry(hash: 0, slot: -1)
    }

    /// A power of two long, so `hash & mask` picks the home entry.
    private var entries = Array(repeating: Entry.vacant, count: 8)
    private var mask: Int { entries.count - 1 }
    private let hash: @Sendable (ClientOrderKey) -> Int

    /// Ids remembered.
    private(set) var count = 0

    /// An empty index; `hash` is replaceable so tests can force collisions.
    init(hash: @escaping @Sendable (ClientOrderKey) -> Int = { $0.hashValue }) {
        self.hash = hash
    }

    /// The slot of `key`'s first result, or `next` (now claimed for it) when the key is new.
    /// `holds(slot)` says whether the result in `slot` belongs to `key`.
    mutating func claim(_ key: ClientOrderKey, next: Int, holds: (Int) -> Bool) -> Int {
        let keyHash = hash(key)
        var position = keyHash & mask
        while entries[position].slot >= 0 {
            if entries[position].hash == keyHash, holds(entries[position].slot) { return entries[position].slot }
            position = (position + 1) & mask
        }
        if (count + 1) * 4 > entries.count * 3 {
            resize(to: entries.count * 2)
            position = vacancy(for: keyHash)
        }
        entries[position] = Entry(hash: keyHash, slot: next)
        count += 1
        return next
    }

    /// The slot of `key`'s first result, nil when it has none.
    func find(_ key: ClientOrderKey, holds: (Int) -> Bool) -> Int? {
        let keyHash = hash(key)
        var position = keyHash & mask
        while entries[position].slot >= 0 {
            if entries[position].hash == keyHash, holds(entries[position].slot) { return entries[position].slot }
            position = (position + 1) & mask
        }
        return nil
    }

    /// Makes room for `more` ids without growing while they arrive.
    mutating func reserveCapacity(_ more: Int) {
        var capacity = entries.count
        while (count + more) * 4 > capacity * 3 { capacity *= 2 }
        if capacity > entries.count { resize(to: capacity) }
    }

    /// The first empty entry on `keyHash`'s probe sequence.
    private func vacancy(for keyHash: Int) -> Int {
        var position = keyHash & mask
        while entries[position].slot >= 0 { position = (position + 1) & mask }
        return position
    }

    /// Re-places every entry by its kept hash in a table of `capacity` entries.
    private mutating func resize(to capacity: Int) {
        let old = entries
        entries = Array(repeating: Entry.vacant, count: capacity)
        for entry in old where entry.slot >= 0 {
            entries[vacancy(for: entry.hash)] = entry
        }
    }
}
