/// The tokens of JSON text (RFC 8259, UTF-8), checked one at a time from a byte position: the
/// document scanner (`JSONScanner`) and the streaming reader (`JSONValueReader`) both use it, so
/// the two accept exactly the same strings, numbers and literals. Strings are validated
/// (escapes, surrogate pairs, UTF-8) but not unescaped, and numbers are checked against the
/// grammar but not converted.
@usableFromInline
struct JSONLexer {
    /// For strings: the bytes contain a backslash escape.
    static let hasEscapes: UInt8 = 1
    /// For strings: the bytes contain non-ASCII UTF-8.
    static let hasNonASCII: UInt8 = 2

    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    @usableFromInline var position: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Whether every byte has been read.
    var atEnd: Bool { position >= bytes.count }

    /// Skips a UTF-8 byte order mark at the start of the input.
    mutating func skipByteOrderMark() {
        if position == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    /// `word` (`true`, `false` or `null`) at the current position.
    mutating func scanLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
              UnsafeRawBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[position ..< position + count])
        else { throw unexpected(at: position) }
        position += count
    }

    /// A number starting at the current position; returns whether it has a fraction or an
    /// exponent.
    mutating func scanNumber() throws(JSONSyntaxError) -> Bool {
        let start = position
        var hasFractionOrExponent = false
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw badNumber(start) }
        if bytes[position] == UInt8(ascii: "0") { position += 1 } else { skipDigits() }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            hasFractionOrExponent = true
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw badNumber(start) }
            skipDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            hasFractionOrExponent = true
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw badNumber(start) }
            skipDigits()
        }
        return hasFractionOrExponent
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    private func badNumber(_ start: Int) -> JSONSyntaxError {
        let end = min(bytes.count, max(position + 1, start + 1))
        let text = String(decoding: bytes[start ..< end], as: UTF8.self)
        return error("Invalid number '\(text)'", at: start)
    }

    /// The rest of a string whose opening quote is just before `position`; leaves `position` on
    /// the closing quote and returns `hasEscapes` and `hasNonASCII` flags.
    mutating func scanStringContent() throws(JSONSyntaxError) -> UInt8 {
        let start = position
        var flags: UInt8 = 0
        while true {
            skipPlainStringBytes()
            guard position < bytes.count else { throw error("Unterminated string", at: start - 1) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { return flags }
            if byte == UInt8(ascii: "\\") {
                flags |= Self.hasEscapes
                try scanEscape()
            } else if byte < 0x20 {
                throw error("Unescaped control character U+\(hex(byte)) in string")
            } else if byte >= 0x80 {
                flags |= Self.hasNonASCII
                try scanUTF8Sequence()
            } else {
                position += 1
            }
        }
    }

    /// Skips string bytes that need no attention (printable ASCII other than `"` and `\`) eight
    /// at a time (`attentionBits`), stopping at the first byte that does or where fewer than
    /// eight remain.
    mutating func skipPlainStringBytes() {
        guard let base = bytes.baseAddress else { return }
        while position + 8 <= bytes.count {
            let hits = Self.attentionBits(UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)))
            guard hits == 0 else {
                position += hits.trailingZeroBitCount / 8
                return
            }
            position += 8
        }
    }

    /// The high bit of each byte of an 8-byte word (little-endian, so the lowest flagged byte is
    /// the first in the input) that needs attention in a string: a byte equal to `"` or `\` (a
    /// zero after XOR, found by the classic "has zero byte" test), below 0x20, or with its high
    /// bit set. The zero test's borrow can flag bytes after a real hit but never before one, so
    /// the first flagged byte is exact.
    @inline(__always)
    static func attentionBits(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let flagged = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word) | word
        return flagged & 0x8080_8080_8080_8080
    }

    private mutating func scanEscape() throws(JSONSyntaxError) {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw error("Unterminated string", at: escapeStart) }
        switch bytes[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            let unit = try scanHexQuad(escapeStart)
            switch unit {
            case 0xD800 ... 0xDBFF:
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error("Unpaired UTF-16 surrogate \\u\(String(unit, radix: 16))", at: escapeStart)
                }
                let lowStart = position
                position += 1
                let low = try scanHexQuad(lowStart)
                guard (0xDC00 ... 0xDFFF).contains(low) else {
                    throw error("Unpaired UTF-16 surrogate \\u\(String(unit, radix: 16))", at: escapeStart)
                }
            case 0xDC00 ... 0xDFFF:
                throw error("Unpaired UTF-16 surrogate \\u\(String(unit, radix: 16))", at: escapeStart)
            default:
                break
            }
        default:
            throw error("Invalid escape sequence", at: escapeStart)
        }
    }

    /// Reads `uXXXX` with `position` on the `u`.
    private mutating func scanHexQuad(_ escapeStart: Int) throws(JSONSyntaxError) -> UInt16 {
        position += 1
        guard position + 4 <= bytes.count else { throw error("Unterminated \\u escape", at: escapeStart) }
        var value: UInt16 = 0
        for _ in 0 ..< 4 {
            guard let digit = JSONText.hexValue(bytes[position]) else { throw error("Invalid \\u escape", at: escapeStart) }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// One well-formed UTF-8 sequence of two to four bytes (no overlongs, no surrogates).
    private mutating func scanUTF8Sequence() throws(JSONSyntaxError) {
        let lead = bytes[position]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xED: length = 3; high = 0x9F
        case 0xE1 ... 0xEF: length = 3
        case 0xF0: length = 4; low = 0x90
        case 0xF1 ... 0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw error("Invalid UTF-8 byte 0x\(hex(lead)) in string")
        }
        guard position + length <= bytes.count else { throw error("Truncated UTF-8 sequence in string") }
        let second = bytes[position + 1]
        guard second >= low, second <= high else { throw error("Invalid UTF-8 sequence in string") }
        for index in 2 ..< max(2, length) where bytes[position + index] & 0xC0 != 0x80 {
            throw error("Invalid UTF-8 sequence in string")
        }
        position += length
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0" + digits : digits
    }

    /// The error for an unexpected byte at `offset`, with what was expected there.
    func unexpected(at offset: Int, context: String = "") -> JSONSyntaxError {
        guard offset < bytes.count else { return error("Unexpected end of input", at: offset) }
        let byte = bytes[offset]
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex(byte))"
        return error("Unexpected character \(shown)" + (context.isEmpty ? "" : " " + context), at: offset)
    }

    /// An error at `offset`, or at the current position.
    func error(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(reason: reason, offset: offset ?? position)
    }
}
