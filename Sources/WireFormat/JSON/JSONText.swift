/// Byte-level helpers shared by the reader and the writer.
@usableFromInline
enum JSONText {
    /// Whether every byte is ASCII, eight bytes at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(base[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// Whether two byte runs are the same bytes.
    @usableFromInline
    static func equal(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
        var index = 0
        while index + 8 <= left.count {
            guard UnsafeRawPointer(leftBase + index).loadUnaligned(as: UInt64.self)
                    == UnsafeRawPointer(rightBase + index).loadUnaligned(as: UInt64.self) else { return false }
            index += 8
        }
        while index < left.count {
            guard leftBase[index] == rightBase[index] else { return false }
            index += 1
        }
        return true
    }

    /// The value of one hex digit, nil if `byte` is not one.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The string that the bytes of a JSON string (without its quotes) stand for. `JSONLexer`
    /// has already checked the escapes, surrogate pairs and UTF-8, so this only translates.
    /// Every public way of making a `String` checks its UTF-8 again; of those, copying into
    /// `String(unsafeUninitializedCapacity:)` costs least for a string stored inline (up to 15
    /// bytes: about 130 instructions against 220) and `String(decoding:as:)` for a longer one.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, hasEscapes: Bool) -> String {
        guard !hasEscapes else { return unescaped(bytes) }
        guard bytes.count <= smallStringCapacity else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count) { output in output.initialize(fromContentsOf: bytes) }
    }

    /// The most UTF-8 bytes a `String` holds without storage of its own (on 64-bit platforms).
    private static let smallStringCapacity = 15

    /// `string(_:hasEscapes:)` of bytes with escapes.
    private static func unescaped(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        return String(unsafeUninitializedCapacity: bytes.count) { output in
            var read = 0
            var written = 0
            while read < bytes.count {
                let byte = bytes[read]
                guard byte == UInt8(ascii: "\\"), read + 1 < bytes.count else {
                    output[written] = byte
                    written += 1
                    read += 1
                    continue
                }
                let code = bytes[read + 1]
                read += 2
                switch code {
                case UInt8(ascii: "b"): output[written] = 0x08; written += 1
                case UInt8(ascii: "f"): output[written] = 0x0C; written += 1
                case UInt8(ascii: "n"): output[written] = 0x0A; written += 1
                case UInt8(ascii: "r"): output[written] = 0x0D; written += 1
                case UInt8(ascii: "t"): output[written] = 0x09; written += 1
                case UInt8(ascii: "u"):
                    var scalar = hexQuad(bytes, read)
                    read += 4
                    if (0xD800 ... 0xDBFF).contains(scalar), read + 6 <= bytes.count {
                        let low = hexQuad(bytes, read + 2)
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        read += 6
                    }
                    // Six escaped bytes always cover the at most four bytes written here.
                    for unit in utf8(of: scalar) {
                        output[written] = unit
                        written += 1
                    }
                default: // '"', '\\' and '/' stand for themselves
                    output[written] = code
                    written += 1
                }
            }
            return written
        }
    }

    /// The UTF-8 bytes of a scalar value the scanner has checked (no lone surrogates).
    private static func utf8(of scalar: UInt32) -> [UInt8] {
        switch scalar {
        case ..<0x80: [UInt8(scalar)]
        case ..<0x800: [UInt8(0xC0 | scalar >> 6), UInt8(0x80 | scalar & 0x3F)]
        case ..<0x10000: [UInt8(0xE0 | scalar >> 12), UInt8(0x80 | scalar >> 6 & 0x3F), UInt8(0x80 | scalar & 0x3F)]
        default: [UInt8(0xF0 | scalar >> 18 & 0x07), UInt8(0x80 | scalar >> 12 & 0x3F), UInt8(0x80 | scalar >> 6 & 0x3F), UInt8(0x80 | scalar & 0x3F)]
        }
    }

    private static func hexQuad(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in offset ..< min(offset + 4, bytes.count) {
            value = value << 4 | UInt32(hexValue(bytes[index]) ?? 0)
        }
        return value
    }
}
