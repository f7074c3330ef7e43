/// Values nobody reads (unknown members, repeated names), skipped with their syntax checked as
/// `JSONScanner` checks it; and the payload of a header read, passed over unchecked.
extension JSONValueReader {
    /// Skips the value the cursor stands at, checking it as the scanner would (syntax, and no
    /// more than `JSONScanner.maximumDepth` arrays and objects open at once).
    @usableFromInline
    func skipValue() throws(FastPathDeclined) {
        // Bit n of the stack: the container opened n-th by this skip is an object. 512 bits,
        // on the stack, cover the deepest nesting the scanner accepts.
        var stack = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let skipped = withUnsafeMutableBytes(of: &stack) { raw in skipValue(objects: raw.bindMemory(to: UInt64.self)) }
        guard skipped else { throw FastPathDeclined() }
    }

    private func skipValue(objects: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        var open = 0
        do {
            value: while true {
                let byte = next
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    guard cursor.pointee.depth + open < JSONScanner.maximumDepth else { return false }
                    let isObject = byte == UInt8(ascii: "{")
                    let bit: UInt64 = 1 << UInt64(open % 64)
                    objects[open / 64] = isObject ? objects[open / 64] | bit : objects[open / 64] & ~bit
                    open += 1
                    cursor.pointee.lexer.position += 1
                    cursor.pointee.lexer.skipWhitespace()
                    if next == byte + 2 { // '}' is '{' + 2, ']' is '[' + 2
                        cursor.pointee.lexer.position += 1
                        open -= 1
                    } else {
                        if isObject { try skipName() }
                        continue value
                    }
                } else {
                    try skipScalar()
                }
                // A value ended inside the `open` containers this skip opened.
                while open > 0 {
                    cursor.pointee.lexer.skipWhitespace()
                    let isObject = objects[(open - 1) / 64] >> UInt64((open - 1) % 64) & 1 != 0
                    let delimiter = next
                    if delimiter == UInt8(ascii: ",") {
                        cursor.pointee.lexer.position += 1
                        cursor.pointee.lexer.skipWhitespace()
                        if isObject { try skipName() }
                        continue value
                    }
                    guard delimiter == UInt8(ascii: isObject ? "}" : "]") else { return false }
                    cursor.pointee.lexer.position += 1
                    open -= 1
                }
                return true
            }
        } catch {
            return false
        }
    }

    /// Skips the object or array the cursor stands at by its brackets alone, for a reader that
    /// only needs to get past it and leaves checking it to whoever reads it later: strings are
    /// passed over by their quotes and escapes, and every other byte but a bracket is passed over
    /// unlooked at. Declines when the input ends before the brackets balance.
    package func skipContainerUnchecked() throws(FastPathDeclined) {
        let bytes = cursor.pointee.lexer.bytes
        var position = cursor.pointee.lexer.position, open = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                open -= 1
                if open == 0 {
                    cursor.pointee.lexer.position = position + 1
                    return
                }
            case UInt8(ascii: "\""):
                cursor.pointee.lexer.position = position + 1
                while true {
                    cursor.pointee.lexer.skipPlainStringBytes()
                    position = cursor.pointee.lexer.position
                    guard position < bytes.count else { throw FastPathDeclined() }
                    let byte = bytes[position]
                    if byte == UInt8(ascii: "\"") { break }
                    cursor.pointee.lexer.position = position + (byte == UInt8(ascii: "\\") ? 2 : 1)
                }
            default:
                break
            }
            position += 1
        }
        throw FastPathDeclined()
    }

    /// Skips a member name (any valid string) and its colon.
    private func skipName() throws(FastPathDeclined) {
        guard next == UInt8(ascii: "\"") else { throw FastPathDeclined() }
        try skipScalar()
        try skipColon()
    }

    /// Skips a string, number or literal.
    private func skipScalar() throws(FastPathDeclined) {
        do {
            switch next {
            case UInt8(ascii: "\""):
                cursor.pointee.lexer.position += 1
                _ = try cursor.pointee.lexer.scanStringContent()
                cursor.pointee.lexer.position += 1
            case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): _ = try cursor.pointee.lexer.scanNumber()
            case UInt8(ascii: "t"): try cursor.pointee.lexer.scanLiteral("true")
            case UInt8(ascii: "f"): try cursor.pointee.lexer.scanLiteral("false")
            case UInt8(ascii: "n"): try cursor.pointee.lexer.scanLiteral("null")
            default: throw FastPathDeclined()
            }
        } catch {
            throw FastPathDeclined()
        }
    }
}
