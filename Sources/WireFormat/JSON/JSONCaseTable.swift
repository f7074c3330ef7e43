/// The raw values of a string-backed enum as words, so that the fast path reads a plain JSON
/// string straight into a case (`JSONValueReader.plainCase(_:)`) without making a `String` and
/// comparing it with each raw value. Raw values over 16 bytes or other than printable ASCII
/// (without `"` and `\`) are kept as never matching: the caller's `String` path reads those.
package struct JSONCaseTable: Sendable {
    /// A text of at most 16 bytes as two little-endian words, zero-filled, the masks of the bytes
    /// that count in each, and its length.
    struct Entry: Sendable {
        let low: UInt64
        let high: UInt64
        let lowMask: UInt64
        let highMask: UInt64
        /// -1 for a text that never matches.
        let length: Int
    }

    let entries: [Entry]

    /// A table of `texts`; a match answers the text's position.
    package init(_ texts: [String]) {
        entries = texts.map { text in
            let bytes = Array(text.utf8)
            guard bytes.count <= 16, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
            else { return Entry(low: 0, high: 0, lowMask: 0, highMask: 0, length: -1) }
            let low = PackedWord(bytes), high = PackedWord(bytes.dropFirst(8))
            return Entry(low: low.word, high: high.word, lowMask: low.mask, highMask: high.mask, length: bytes.count)
        }
    }
}

extension JSONValueReader {
    /// The position in `table` of the string the cursor stands at, consumed, when it is one of
    /// the table's texts (plain ASCII, so the bytes are the string); nil, with nothing consumed,
    /// for anything else, which the caller then reads as a `String` (so escapes, other
    /// characters and malformed strings give what the `String` path gives). The string's first
    /// sixteen bytes are compared as two words, so a string less than seventeen bytes before
    /// the end of the document is left to the caller too.
    package func plainCase(_ table: JSONCaseTable) -> Int? {
        let bytes = cursor.pointee.lexer.bytes
        guard let base = bytes.baseAddress else { return nil }
        let start = cursor.pointee.lexer.position &+ 1
        guard start &+ 17 <= bytes.count, base[start &- 1] == UInt8(ascii: "\"") else { return nil }
        let low = UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: UnsafeRawPointer(base + start + 8).loadUnaligned(as: UInt64.self))
        return table.entries.withUnsafeBufferPointer { entries -> Int? in
            for position in entries.indices {
                let entry = entries[position]
                if low & entry.lowMask == entry.low, high & entry.highMask == entry.high, entry.length >= 0,
                   base[start &+ entry.length] == UInt8(ascii: "\"") {
                    cursor.pointee.lexer.position = start &+ entry.length &+ 1
                    return position
                }
            }
            return nil
        }
    }
}
