/// Copies of short byte runs for the writer, eight bytes per load and store and without calling
/// `memcpy`; the target must have `slack` bytes of room after the run, which a copy may
/// overwrite. The writer's strings (ids, symbols, member names) are mostly under 32 bytes,
/// where a `memcpy` call and a separate pass looking for bytes to escape cost more than the copy.
enum PlainText {
    /// Bytes a copy may write past the end of its run.
    static let slack = 8

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    /// Eight spaces: the filler of a word made from fewer than eight bytes (never escaped).
    private static let spaces: UInt64 = 0x2020_2020_2020_2020

    /// Copies `bytes` to `target`.
    @inline(__always)
    static func copy(_ bytes: UnsafeBufferPointer<UInt8>, to target: UnsafeMutablePointer<UInt8>) {
        forEachWord(of: bytes) { word, offset in store(word, at: target + offset) }
    }

    /// Copies `bytes` to `target` and returns whether none of them must be escaped inside a JSON
    /// string (`"`, `\` or a control byte); when one must, the bytes copied are to be discarded.
    @inline(__always)
    static func copyUnlessEscaping(_ bytes: UnsafeBufferPointer<UInt8>, to target: UnsafeMutablePointer<UInt8>) -> Bool {
        var flagged: UInt64 = 0
        forEachWord(of: bytes) { word, offset in
            flagged |= escapeBits(word)
            store(word, at: target + offset)
        }
        return flagged & highBits == 0
    }

    /// A word whose high bits are set for bytes equal to `"` or `\` or below 0x20, by the
    /// "has zero byte" test (after XOR with `"` and `\`, and for bytes below 0x20) restricted to
    /// bytes without their high bit (0x80 and above never need escaping). The test's borrow can
    /// flag bytes after a real hit, never a word without one, so "any bit set" is exact.
    @inline(__always)
    static func escapeBits(_ word: UInt64) -> UInt64 {
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)) & highBits
    }

    /// Hands `body` the bytes as little-endian words with their offsets: whole words, then the
    /// last eight bytes (overlapping the word before) when the count is not a multiple of
    /// eight; under eight bytes, one word of them filled up with spaces (from four bytes on,
    /// read as two overlapping halves). Never reads past the run.
    @inline(__always)
    private static func forEachWord(of bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Int) -> Void) {
        guard let source = bytes.baseAddress else { return }
        let count = bytes.count
        if count < 8 {
            var word = spaces &<< UInt64(truncatingIfNeeded: count &* 8)
            if count >= 4 {
                // The first four and the last four bytes, overlapping where they meet.
                let first = UInt64(UInt32(littleEndian: UnsafeRawPointer(source).loadUnaligned(as: UInt32.self)))
                let last = UInt64(UInt32(littleEndian: UnsafeRawPointer(source + count - 4).loadUnaligned(as: UInt32.self)))
                word |= first | last &<< UInt64(truncatingIfNeeded: (count &- 4) &* 8)
            } else {
                for index in 0 ..< count { word |= UInt64(source[index]) &<< UInt64(truncatingIfNeeded: index &* 8) }
            }
            body(word, 0)
            return
        }
        var offset = 0
        while offset + 8 <= count {
            body(load(source + offset), offset)
            offset += 8
        }
        if offset < count { body(load(source + count - 8), count - 8) }
    }

    @inline(__always)
    private static func load(_ at: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(at).loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    private static func store(_ word: UInt64, at target: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(target).storeBytes(of: word.littleEndian, as: UInt64.self)
    }
}
