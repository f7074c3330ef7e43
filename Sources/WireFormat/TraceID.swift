/// Generation and checking of the identifiers carried in envelopes.
public enum TraceID {
    /// A fresh W3C trace-id: 32 lowercase hex digits, never all zeros.
    public static func make() -> String {
        var high = IDRandom.next()
        let low = IDRandom.next()
        if high == 0 && low == 0 { high = 1 }
        return String(unsafeUninitializedCapacity: 32) { buffer in
            writeHex(high, into: buffer, at: 0)
            writeHex(low, into: buffer, at: 16)
            return 32
        }
    }

    /// Whether `text` is a valid W3C trace-id (32 lowercase hex digits, not all zeros).
    public static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 32 else { return false }
            // Without a branch per byte: a byte is a digit when `byte - '0'` is below 10 and a
            // lowercase hex letter when `byte - 'a'` is below 6 (both wrap around for smaller bytes).
            var invalid: UInt8 = 0
            var nonZero: UInt8 = 0
            for byte in bytes {
                let digit: UInt8 = byte &- UInt8(ascii: "0") < 10 ? 1 : 0
                let letter: UInt8 = byte &- UInt8(ascii: "a") < 6 ? 1 : 0
                invalid |= (digit | letter) ^ 1
                nonZero |= byte ^ UInt8(ascii: "0")
            }
            return invalid == 0 && nonZero != 0
        }
    }

    /// Writes the low `digits` hex digits of `value` (most significant first, lowercase) at
    /// `buffer[offset...]`; the buffer holds them.
    fileprivate static func writeHex(_ value: UInt64, digits: Int = 16, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0 ..< digits {
            let nibble = UInt8(truncatingIfNeeded: value >> (4 * (digits - 1 - index))) & 0xF
            buffer[offset + index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
        }
    }
}

/// Generation of message ids.
public enum MessageID {
    /// How many characters an id has: 15, the most a Swift string holds inline (a "small"
    /// string). An id of 16 would be a heap allocation wherever one is made or read, and a
    /// reference counted on every copy of its envelope. A constant, not a stored `static let`,
    /// whose every read would pass its once-only initialisation check.
    public static var length: Int { 15 }

    /// A fresh message id: 15 lowercase hex digits (60 random bits, not all zero).
    public static func make() -> String {
        var value: UInt64 = 0
        while value == 0 { value = IDRandom.next() & (1 << 60 - 1) }
        return String(unsafeUninitializedCapacity: length) { buffer in
            TraceID.writeHex(value, digits: length, into: buffer, at: 0)
            return length
        }
    }
}
