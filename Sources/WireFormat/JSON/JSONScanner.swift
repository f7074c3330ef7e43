/// Checks that bytes are one JSON value (RFC 8259, UTF-8, optional leading BOM) and records
/// every value as a `JSONNode`. Strings are validated (escapes, surrogate pairs, UTF-8) but not
/// unescaped, and numbers are checked against the grammar but not converted: both happen only
/// when a field is read.
@usableFromInline
struct JSONScanner {
    /// Deepest nesting of arrays and objects accepted, as Foundation's.
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var nodes: [JSONNode] = []

    /// The nodes of `bytes`, or nil when they are not one JSON value.
    @usableFromInline
    static func nodes(of bytes: UnsafeBufferPointer<UInt8>) -> [JSONNode]? {
        var scanner = JSONScanner(bytes)
        return try? scanner.scan()
    }

    /// Prepares to scan `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        nodes.reserveCapacity(bytes.count / 8 + 8)
    }

    /// Scans the whole input; trailing non-whitespace is an error.
    mutating func scan() throws(JSONSyntaxError) -> [JSONNode] {
        guard bytes.count < Int(UInt32.max) else { throw JSONSyntaxError(reason: "Input larger than 4 GiB", offset: 0) }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        var current = -1 // innermost open container; its `end` holds its parent until it closes
        var depth = 0
        scanning: while true {
            skipWhitespace()
            guard position < bytes.count else { throw error(position == 0 ? "Empty input" : "Unexpected end of input") }
            let byte = bytes[position]
            var completed = true
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth <= Self.maximumDepth else { throw error("Too many nested arrays or objects (more than \(Self.maximumDepth))") }
                let kind: JSONKind = byte == UInt8(ascii: "{") ? .object : .array
                nodes.append(JSONNode(kind: kind, flags: 0, start: UInt32(position), length: 0,
                                      end: current < 0 ? UInt32.max : UInt32(current)))
                current = nodes.count - 1
                position += 1
                skipWhitespace()
                if position < bytes.count, bytes[position] == byte + 2 { // '}' is '{' + 2, ']' is '[' + 2
                    position += 1
                    close(&current, &depth)
                } else if kind == .object {
                    try scanKey()
                    completed = false
                } else {
                    completed = false
                }
            case UInt8(ascii: "\""):
                try scanString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try scanNumber()
            case UInt8(ascii: "t"):
                try scanLiteral("true", .true)
            case UInt8(ascii: "f"):
                try scanLiteral("false", .false)
            case UInt8(ascii: "n"):
                try scanLiteral("null", .null)
            default:
                throw unexpected(at: position)
            }
            guard completed else { continue scanning }
            // A value just ended; it belongs to `current`.
            while current >= 0 {
                nodes[current].length += 1
                skipWhitespace()
                guard position < bytes.count else { throw error("Unexpected end of input") }
                let delimiter = bytes[position]
                let isObject = nodes[current].kind == .object
                if delimiter == UInt8(ascii: ",") {
                    position += 1
                    if isObject { try scanKey() }
                    continue scanning
                }
                guard delimiter == UInt8(ascii: isObject ? "}" : "]") else { throw unexpected(at: position) }
                position += 1
                close(&current, &depth)
            }
            break
        }
        skipWhitespace()
        guard position == bytes.count else { throw unexpected(at: position, context: "after the top-level value") }
        return nodes
    }

    private mutating func close(_ current: inout Int, _ depth: inout Int) {
        let parent = nodes[current].end
        nodes[current].end = UInt32(nodes.count)
        current = parent == UInt32.max ? -1 : Int(parent)
        depth -= 1
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    /// A member name and its colon.
    private mutating func scanKey() throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < bytes.count else { throw error("Unexpected end of input") }
        guard bytes[position] == UInt8(ascii: "\"") else { throw unexpected(at: position, context: "where a member name should be") }
        try scanString()
        skipWhitespace()
        guard position < bytes.count else { throw error("Unexpected end of input") }
        guard bytes[position] == UInt8(ascii: ":") else { throw unexpected(at: position, context: "where ':' should be") }
        position += 1
    }

    private mutating func scanLiteral(_ word: StaticString, _ kind: JSONKind) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
              UnsafeRawBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[position ..< position + count])
        else { throw unexpected(at: position) }
        nodes.append(JSONNode(kind: kind, flags: 0, start: UInt32(position), length: UInt32(count), end: UInt32(nodes.count + 1)))
        position += count
    }

    private mutating func scanNumber() throws(JSONSyntaxError) {
        let start = position
        var flags: UInt8 = 0
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw badNumber(start) }
        if bytes[position] == UInt8(ascii: "0") { position += 1 } else { skipDigits() }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            flags = JSONNode.hasFractionOrExponent
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw badNumber(start) }
            skipDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            flags = JSONNode.hasFractionOrExponent
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw badNumber(start) }
            skipDigits()
        }
        nodes.append(JSONNode(kind: .number, flags: flags, start: UInt32(start), length: UInt32(position - start),
                              end: UInt32(nodes.count + 1)))
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

    /// A string starting at its opening quote; leaves `position` after the closing quote.
    private mutating func scanString() throws(JSONSyntaxError) {
        position += 1
        let start = position
        var flags: UInt8 = 0
        while true {
            skipPlainStringBytes()
            guard position < bytes.count else { throw error("Unterminated string", at: start - 1) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                flags |= JSONNode.hasEscapes
                try scanEscape()
            } else if byte < 0x20 {
                throw error("Unescaped control character U+\(hex(byte)) in string")
            } else if byte >= 0x80 {
                flags |= JSONNode.hasNonASCII
                try scanUTF8Sequence()
            } else {
                position += 1
            }
        }
        nodes.append(JSONNode(kind: .string, flags: flags, start: UInt32(start), length: UInt32(position - start),
                              end: UInt32(nodes.count + 1)))
        position += 1
    }

    /// Skips string bytes that need no attention (printable ASCII other than `"` and `\`) eight
    /// at a time, stopping at the first byte that does or where fewer than eight remain.
    ///
    /// Per 8-byte word (little-endian, so the lowest flagged byte is the first in the input):
    /// a byte is flagged when it equals `"` or `\` (a zero after XOR, found by the classic
    /// "has zero byte" test), is below 0x20, or has its high bit set. The zero test's borrow can
    /// flag bytes after a real hit but never before one, so the first flagged byte is exact.
    private mutating func skipPlainStringBytes() {
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
            let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
            let flagged = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word) | word
            let hits = flagged & highBits
            guard hits == 0 else {
                position += hits.trailingZeroBitCount / 8
                return
            }
            position += 8
        }
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

    private func unexpected(at offset: Int, context: String = "") -> JSONSyntaxError {
        let byte = bytes[offset]
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex(byte))"
        return error("Unexpected character \(shown)" + (context.isEmpty ? "" : " " + context), at: offset)
    }

    private func error(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(reason: reason, offset: offset ?? position)
    }
}
