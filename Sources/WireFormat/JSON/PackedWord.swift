/// Up to eight bytes as one little-endian word, the first byte lowest, as the input reads when
/// eight bytes are loaded at once; `mask` has 0xFF in each byte the bytes fill, for comparing
/// a loaded word with fewer than eight bytes (`word & mask`). The lookup tables of the fast
/// path (`JSONCaseTable`, `JSONKeyTable`) are built from these.
struct PackedWord {
    private(set) var word: UInt64 = 0
    private(set) var mask: UInt64 = 0

    /// The first eight of `bytes` (all of them when fewer).
    init(_ bytes: some Sequence<UInt8>) {
        for (position, byte) in zip(0 ..< 8, bytes) {
            word |= UInt64(byte) << UInt64(8 * position)
            mask |= 0xFF << UInt64(8 * position)
        }
    }
}
