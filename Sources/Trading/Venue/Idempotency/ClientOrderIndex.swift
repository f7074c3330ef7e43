/// Idempotency key: a client order id is unique per account, not venue-wide.
struct ClientOrderKey: Hashable, Sendable {
    var account: Int
    var clientOrderId: String
}

/// Where the first result of each (account, client order id) sits in the venue's remembered
/// results: an open-addressing hash table probed linearly, whose 8-byte entries each hold a
/// slot and the top bits of its key's hash.
///
/// A `Dictionary` keyed by the id would read a key string from the heap at every probe, and
/// one keyed by the id's hash hashes that hash again and reads three scattered places (the
/// occupancy bitmap, the key, the value): with millions of ids remembered each is a cache
/// miss. Here a probe reads one entry, and the table is half the size of one with whole
/// hashes, so more of it stays in cache. Only an entry whose hash bits match is confirmed
/// against the remembered result (`holds`), so keys whose hashes collide stay apart: the
/// later one sits further along the probe sequence. Whole hashes, kept by slot in claim
/// order, are read only to grow the table. At most three quarters full; nothing is ever
/// removed.
struct ClientOrderIndex: Sendable {
    /// Low bits of an entry: slot + 1, so 0 is an empty entry. High bits: the hash's top bits.
    private static let slotBits = 40
    private static let slotMask: UInt64 = 1 << slotBits - 1

    /// A power of two long, so `hash & mask` picks the home entry.
    private var entries = [UInt64](repeating: 0, count: 8)
    private var mask: Int { entries.count - 1 }
    /// The hash of each claimed key, by slot.
    private var hashes: [Int] = []
    private let hash: @Sendable (ClientOrderKey) -> Int

    /// An empty index; `hash` is replaceable so tests can force collisions.
    init(hash: @escaping @Sendable (ClientOrderKey) -> Int = { $0.hashValue }) {
        self.hash = hash
    }

    /// Ids remembered.
    var count: Int { hashes.count }

    /// The slot of `key`'s first result, or `next` (now claimed for it) when the key is new.
    /// `next` must be `count`: slots are handed out in order. `holds(slot)` says whether
    /// the result in `slot` belongs to `key`.
    mutating func claim(_ key: ClientOrderKey, next: Int, holds: (Int) -> Bool) -> Int {
        precondition(next == count && next < Int(Self.slotMask), "slots are claimed in order")
        let keyHash = hash(key)
        let tag = Self.tag(keyHash)
        var position = keyHash & mask
        while entries[position] != 0 {
            let entry = entries[position]
            if entry & ~Self.slotMask == tag, holds(Self.slot(entry)) { return Self.slot(entry) }
            position = (position + 1) & mask
        }
        hashes.append(keyHash)
        if count * 4 > entries.count * 3 {
            resize(to: entries.count * 2)
        } else {
            entries[position] = tag | UInt64(next + 1)
        }
        return next
    }

    /// The slot of `key`'s first result, nil when it has none.
    func find(_ key: ClientOrderKey, holds: (Int) -> Bool) -> Int? {
        let keyHash = hash(key)
        let tag = Self.tag(keyHash)
        var position = keyHash & mask
        while entries[position] != 0 {
            let entry = entries[position]
            if entry & ~Self.slotMask == tag, holds(Self.slot(entry)) { return Self.slot(entry) }
            position = (position + 1) & mask
        }
        return nil
    }

    /// Makes room for `more` ids without growing while they arrive.
    mutating func reserveCapacity(_ more: Int) {
        hashes.reserveCapacity(count + more)
        var capacity = entries.count
        while (count + more) * 4 > capacity * 3 { capacity *= 2 }
        if capacity > entries.count { resize(to: capacity) }
    }

    private static func tag(_ keyHash: Int) -> UInt64 { UInt64(UInt(bitPattern: keyHash)) & ~slotMask }

    private static func slot(_ entry: UInt64) -> Int { Int(entry & slotMask) - 1 }

    /// Places every claimed slot, by its kept hash, in a table of `capacity` entries.
    private mutating func resize(to capacity: Int) {
        entries = [UInt64](repeating: 0, count: capacity)
        for (slot, keyHash) in hashes.enumerated() {
            var position = keyHash & mask
            while entries[position] != 0 { position = (position + 1) & mask }
            entries[position] = Self.tag(keyHash) | UInt64(slot + 1)
        }
    }
}
