/// Checks that bytes are one JSON value (RFC 8259, UTF-8, optional leading BOM) and records
/// every value as a `JSONNode`, for the `Codable` decoder. Tokens are checked by `JSONLexer`:
/// strings are validated but not unescaped, numbers checked against the grammar but not
/// converted; both happen only when a field is read.
struct JSONScanner {
    /// Deepest nesting of arrays and objects accepted, as Foundation's.
    static let maximumDepth = 512

    private var lexer: JSONLexer
    private var nodes: [JSONNode] = []

    /// Prepares to scan `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        lexer = JSONLexer(bytes)
        nodes.reserveCapacity(bytes.count / 8 + 8)
    }

    private var bytes: UnsafeBufferPointer<UInt8> { lexer.bytes }
    private var position: Int {
        get { lexer.position }
        set { lexer.position = newValue }
    }

    /// Scans the whole input; trailing non-whitespace is an error.
    mutating func scan() throws(JSONSyntaxError) -> [JSONNode] {
        guard bytes.count < Int(UInt32.max) else { throw JSONSyntaxError(reason: "Input larger than 4 GiB", offset: 0) }
        lexer.skipByteOrderMark()
        var current = -1 // innermost open container; its `end` holds its parent until it closes
        var depth = 0
        scanning: while true {
            lexer.skipWhitespace()
            guard position < bytes.count else { throw lexer.error(position == 0 ? "Empty input" : "Unexpected end of input") }
            let byte = bytes[position]
            var completed = true
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth <= Self.maximumDepth else {
                    throw lexer.error("Too many nested arrays or objects (more than \(Self.maximumDepth))")
                }
                let kind: JSONKind = byte == UInt8(ascii: "{") ? .object : .array
                nodes.append(JSONNode(kind: kind, flags: 0, start: UInt32(position), length: 0,
                                      end: current < 0 ? UInt32.max : UInt32(current)))
                current = nodes.count - 1
                position += 1
                lexer.skipWhitespace()
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
                let start = position
                let flags = try lexer.scanNumber() ? JSONNode.hasFractionOrExponent : 0
                nodes.append(JSONNode(kind: .number, flags: flags, start: UInt32(start), length: UInt32(position - start),
                                      end: UInt32(nodes.count + 1)))
            case UInt8(ascii: "t"):
                try scanLiteral("true", .true)
            case UInt8(ascii: "f"):
                try scanLiteral("false", .false)
            case UInt8(ascii: "n"):
                try scanLiteral("null", .null)
            default:
                throw lexer.unexpected(at: position)
            }
            guard completed else { continue scanning }
            // A value just ended; it belongs to `current`.
            while current >= 0 {
                nodes[current].length += 1
                lexer.skipWhitespace()
                guard position < bytes.count else { throw lexer.error("Unexpected end of input") }
                let delimiter = bytes[position]
                let isObject = nodes[current].kind == .object
                if delimiter == UInt8(ascii: ",") {
                    position += 1
                    if isObject { try scanKey() }
                    continue scanning
                }
                guard delimiter == UInt8(ascii: isObject ? "}" : "]") else { throw lexer.unexpected(at: position) }
                position += 1
                close(&current, &depth)
            }
            break
        }
        lexer.skipWhitespace()
        guard position == bytes.count else { throw lexer.unexpected(at: position, context: "after the top-level value") }
        return nodes
    }

    private mutating func close(_ current: inout Int, _ depth: inout Int) {
        let parent = nodes[current].end
        nodes[current].end = UInt32(nodes.count)
        current = parent == UInt32.max ? -1 : Int(parent)
        depth -= 1
    }

    /// A member name and its colon.
    private mutating func scanKey() throws(JSONSyntaxError) {
        lexer.skipWhitespace()
        guard position < bytes.count else { throw lexer.error("Unexpected end of input") }
        guard bytes[position] == UInt8(ascii: "\"") else { throw lexer.unexpected(at: position, context: "where a member name should be") }
        try scanString()
        lexer.skipWhitespace()
        guard position < bytes.count else { throw lexer.error("Unexpected end of input") }
        guard bytes[position] == UInt8(ascii: ":") else { throw lexer.unexpected(at: position, context: "where ':' should be") }
        position += 1
    }

    private mutating func scanLiteral(_ word: StaticString, _ kind: JSONKind) throws(JSONSyntaxError) {
        let start = position
        try lexer.scanLiteral(word)
        nodes.append(JSONNode(kind: kind, flags: 0, start: UInt32(start), length: UInt32(position - start), end: UInt32(nodes.count + 1)))
    }

    /// A string starting at its opening quote; leaves `position` after the closing quote.
    private mutating func scanString() throws(JSONSyntaxError) {
        position += 1
        let start = position
        let flags = try lexer.scanStringContent()
        nodes.append(JSONNode(kind: .string, flags: flags, start: UInt32(start), length: UInt32(position - start),
                              end: UInt32(nodes.count + 1)))
        position += 1
    }
}
