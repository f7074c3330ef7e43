import Foundation

/// Where a streaming read is in its document and how many arrays and objects are open there.
/// Lives on the stack of `JSONValueReader.read`; readers point at it.
@usableFromInline
struct JSONCursor {
    @usableFromInline var lexer: JSONLexer
    /// Arrays and objects opened and not yet closed.
    @usableFromInline var depth: Int
    /// The thread's codec state, looked up on the document's first recurring string.
    @usableFromInline var threadState: UnsafeMutablePointer<CodecThreadState>?
    /// Object members passed over so far because their name is unknown or repeated: while it
    /// stays the same across a read, the value read says all that its bytes say, to any reader.
    @usableFromInline var irregularMembers = 0

    @usableFromInline
    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int, depth: Int) {
        lexer = JSONLexer(bytes, at: position)
        self.depth = depth
    }
}

/// Reads JSON as it scans it, for the hand-written fast paths: a reader stands at the start of
/// one value of a document, and each read consumes that value (checking its syntax as
/// `JSONScanner` does) and leaves the cursor just after it. Objects are read member by member
/// in document order (`members(_:)`), unknown and repeated members skipped and checked, arrays
/// element by element; no value is recorded or read twice.
///
/// Every read accepts exactly what the `Codable` path accepts and converts it with the same
/// functions (`JSONText.string`, `JSONNumber`, `DecimalUnits.parse`); anything else declines,
/// and the `Codable` path then reports the error. A result is only handed out once the whole
/// document has been checked, so malformed input after the values read still declines.
///
/// All readers of a document share its cursor: a reader is only valid inside the `read`
/// call that made it, and only the value the cursor stands at can be read.
@usableFromInline
package struct JSONValueReader {
    @usableFromInline let cursor: UnsafeMutablePointer<JSONCursor>

    @usableFromInline
    init(cursor: UnsafeMutablePointer<JSONCursor>) {
        self.cursor = cursor
    }

    /// Hands the top-level value of `data` to `body`, which must read it; nil when `body`
    /// declines, the data is not one JSON value (RFC 8259, UTF-8, optional BOM) or something
    /// other than whitespace follows the value. The reader is only valid inside `body`.
    @inlinable
    package static func read<Result>(_ data: Data, _ body: (JSONValueReader) throws(FastPathDeclined) -> Result) -> Result? {
        data.withUnsafeBytes { raw -> Result? in
            var cursor = JSONCursor(raw.bindMemory(to: UInt8.self), at: 0, depth: 0)
            return withUnsafeMutablePointer(to: &cursor) { pointer -> Result? in
                let reader = JSONValueReader(cursor: pointer)
                guard reader.startDocument(), let result = try? body(reader), reader.endsDocument() else { return nil }
                return result
            }
        }
    }

    /// Hands the value at byte `offset` of `data`, inside `depth` arrays and objects, to `body`,
    /// which must read it; nil when `body` declines. What follows the value is not looked at.
    @inlinable
    static func read<Result>(_ data: Data, at offset: Int, depth: Int,
                             _ body: (JSONValueReader) throws(FastPathDeclined) -> Result) -> Result? {
        data.withUnsafeBytes { raw -> Result? in
            var cursor = JSONCursor(raw.bindMemory(to: UInt8.self), at: offset, depth: depth)
            return withUnsafeMutablePointer(to: &cursor) { pointer -> Result? in
                let reader = JSONValueReader(cursor: pointer)
                guard let result = try? body(reader), pointer.pointee.depth == depth, pointer.pointee.lexer.position > offset
                else { return nil }
                return result
            }
        }
    }

    /// Hands the payload at `payload` in `data`, inside `depth` arrays and objects, to `body`,
    /// which must read it; nil when `body` declines or its value does not end where `payload`
    /// does. For a message whose header was read and whose payload was passed over unread
    /// (`InboundMessage`): a payload that reads as a value ending there is the one member it
    /// was taken for.
    @inlinable
    static func read<Result>(_ data: Data, payload: Range<Int>, depth: Int,
                             _ body: (JSONValueReader) throws(FastPathDeclined) -> Result) -> Result? {
        read(data, at: payload.lowerBound, depth: depth) { reader throws(FastPathDeclined) in
            let result = try body(reader)
            guard reader.position == payload.upperBound else { throw FastPathDeclined() }
            return result
        }
    }

    /// Skips a BOM and leading whitespace; false for input the scanner refuses by its size.
    @usableFromInline
    func startDocument() -> Bool {
        guard cursor.pointee.lexer.bytes.count < Int(UInt32.max) else { return false }
        cursor.pointee.lexer.skipByteOrderMark()
        cursor.pointee.lexer.skipWhitespace()
        return true
    }

    /// Whether the value read was the whole document: every array and object closed, nothing
    /// but whitespace after it.
    @usableFromInline
    func endsDocument() -> Bool {
        guard cursor.pointee.depth == 0 else { return false }
        cursor.pointee.lexer.skipWhitespace()
        return cursor.pointee.lexer.atEnd
    }

    /// The byte offset of the value this reader stands at (see `read(_:at:depth:_:)`).
    @inlinable
    package var position: Int { cursor.pointee.lexer.position }

    /// Object members of the document passed over so far, their name unknown or repeated.
    @inlinable
    package var irregularMembers: Int { cursor.pointee.irregularMembers }

    /// The byte the cursor stands at, or 0 (which starts no JSON value) at the end.
    @usableFromInline
    var next: UInt8 {
        let lexer = cursor.pointee.lexer
        return lexer.position < lexer.bytes.count ? lexer.bytes[lexer.position] : 0
    }

    /// Consumes a `null` if the value is one.
    @usableFromInline
    package func readNull() throws(FastPathDeclined) -> Bool {
        guard next == UInt8(ascii: "n") else { return false }
        do { try cursor.pointee.lexer.scanLiteral("null") } catch { throw FastPathDeclined() }
        return true
    }

    @usableFromInline
    package func string() throws(FastPathDeclined) -> String {
        let (text, hasEscapes) = try stringText()
        return JSONText.string(text, hasEscapes: hasEscapes)
    }

    /// Nil for `null`, as `decodeIfPresent` reads it.
    @usableFromInline
    package func optionalString() throws(FastPathDeclined) -> String? { try readNull() ? nil : try string() }

    /// A string whose value recurs from message to message (a symbol, an account, a source, a
    /// message type, a trace id), read as `string()` reads it; one read recently on this thread
    /// is handed out again (`RecurringStrings`) instead of being made anew. A plain text of up
    /// to 32 bytes is checked and keyed in one pass; any other is scanned by the lexer first.
    @usableFromInline
    package func recurringString() throws(FastPathDeclined) -> String {
        guard next == UInt8(ascii: "\"") else { throw FastPathDeclined() }
        let state = cursor.pointee.threadState ?? CodecThreadState.current
        cursor.pointee.threadState = state
        let bytes = cursor.pointee.lexer.bytes
        let start = cursor.pointee.lexer.position &+ 1
        if let key = RecurringStringKey(plainTextAt: start, in: bytes) {
            cursor.pointee.lexer.position = start &+ key.length &+ 1
            return state.pointee.strings.string(for: key, UnsafeBufferPointer(rebasing: bytes[start ..< start &+ key.length]), hasEscapes: false)
        }
        let (text, hasEscapes) = try stringText()
        return state.pointee.strings.string(text, hasEscapes: hasEscapes)
    }

    /// Nil for `null`.
    @usableFromInline
    package func optionalRecurringString() throws(FastPathDeclined) -> String? { try readNull() ? nil : try recurringString() }

    /// Consumes the string the cursor stands at, checked; its bytes without the quotes, and
    /// whether they hold escapes.
    func stringText() throws(FastPathDeclined) -> (UnsafeBufferPointer<UInt8>, hasEscapes: Bool) {
        guard next == UInt8(ascii: "\"") else { throw FastPathDeclined() }
        cursor.pointee.lexer.position += 1
        let start = cursor.pointee.lexer.position
        let flags: UInt8
        do { flags = try cursor.pointee.lexer.scanStringContent() } catch { throw FastPathDeclined() }
        let end = cursor.pointee.lexer.position
        cursor.pointee.lexer.position = end + 1
        return (UnsafeBufferPointer(rebasing: cursor.pointee.lexer.bytes[start ..< end]), flags & JSONLexer.hasEscapes != 0)
    }

    package func bool() throws(FastPathDeclined) -> Bool {
        let first = next
        guard first == UInt8(ascii: "t") || first == UInt8(ascii: "f") else { throw FastPathDeclined() }
        let value = first == UInt8(ascii: "t")
        do { try cursor.pointee.lexer.scanLiteral(value ? "true" : "false") } catch { throw FastPathDeclined() }
        return value
    }

    /// Nil for `null`.
    package func optionalBool() throws(FastPathDeclined) -> Bool? { try readNull() ? nil : try bool() }

    @inlinable
    package func value<Value: FastWireCodable>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value {
        try Value(fastJSON: self)
    }

    /// Nil for `null`.
    @inlinable
    package func optionalValue<Value: FastWireCodable>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value? {
        try readNull() ? nil : try Value(fastJSON: self)
    }
}
