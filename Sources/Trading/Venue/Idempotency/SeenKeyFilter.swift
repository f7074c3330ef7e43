/// A Bloom filter of client order keys: a fixed-size set of bits that says "never seen" for
/// sure or "maybe seen", so a venue that forgot old ids asks its archive only about those it
/// may have seen.
///
/// 2^23 bits (1 MiB) and four probes per key: about one false "maybe" in 200,000 new ids after
/// 100,000 remembered, one in 50 after a million. A false "maybe" costs one archive lookup,
/// never a wrong answer. Hash seeds differ per process, so the filter is rebuilt (from the
/// restored results) rather than stored.
struct SeenKeyFilter: Sendable {
    private static let wordBits = 6
    private static let probes = 4
    private var words: [UInt64]

    /// An empty filter of `2^log2Bits` bits.
    init(log2Bits: Int = 23) {
        words = [UInt64](repeating: 0, count: 1 << max(0, log2Bits - Self.wordBits))
    }

    /// Adds `key`.
    mutating func insert(_ key: ClientOrderKey) {
        let mask = words.count << Self.wordBits - 1
        var (position, step) = Self.hashes(key)
        for _ in 0..<Self.probes {
            let bit = position & mask
            words[bit >> Self.wordBits] |= 1 << UInt64(bit & 63)
            position &+= step
        }
    }

    /// False when `key` was certainly never added.
    func mayContain(_ key: ClientOrderKey) -> Bool {
        let mask = words.count << Self.wordBits - 1
        var (position, step) = Self.hashes(key)
        for _ in 0..<Self.probes {
            let bit = position & mask
            guard words[bit >> Self.wordBits] & (1 << UInt64(bit & 63)) != 0 else { return false }
            position &+= step
        }
        return true
    }

    /// Two independent hashes of `key`; the probes are `first + i × second` (double hashing),
    /// with `second` odd so the probes differ.
    private static func hashes(_ key: ClientOrderKey) -> (Int, Int) {
        var second = Hasher()
        second.combine(0x5EED_F11E)
        second.combine(key)
        return (key.hashValue, second.finalize() | 1)
    }
}
