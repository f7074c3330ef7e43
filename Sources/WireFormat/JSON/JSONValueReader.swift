import DecimalText
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
    /// which must read it; nil when `body` declines. For a document already checked whole by
    /// `read(_:_:)` (an envelope's payload after its header was read).
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

    /// The text of a number and whether it has a fraction or an exponent.
    private func number() throws(FastPathDeclined) -> (text: UnsafeBufferPointer<UInt8>, hasFractionOrExponent: Bool) {
        let first = next
        guard first == UInt8(ascii: "-") || first &- UInt8(ascii: "0") < 10 else { throw FastPathDeclined() }
        let start = cursor.pointee.lexer.position
        let hasFractionOrExponent: Bool
        do { hasFractionOrExponent = try cursor.pointee.lexer.scanNumber() } catch { throw FastPathDeclined() }
        return (UnsafeBufferPointer(rebasing: cursor.pointee.lexer.bytes[start ..< cursor.pointee.lexer.position]), hasFractionOrExponent)
    }

    package func double() throws(FastPathDeclined) -> Double {
        guard let value = JSONNumber.double(try number().text) else { throw FastPathDeclined() }
        return value
    }

    /// Nil for `null`.
    package func optionalDouble() throws(FastPathDeclined) -> Double? { try readNull() ? nil : try double() }

    /// A number read exactly; anything `DecimalUnits.parse` refuses declines, so the
    /// `Codable` path reports it.
    package func decimal() throws(FastPathDeclined) -> WireDecimal {
        if let units = plainDecimalUnits() { return WireDecimal(units: units) }
        guard let units = DecimalUnits.parse(try number().text, decimals: WireDecimal.decimals) else { throw FastPathDeclined() }
        return WireDecimal(units: units)
    }

    /// The common quantity or price in one pass over its bytes: `-?(0|[1-9][0-9]{0,9})`, then
    /// optionally `.` and one to eight digits, ending before anything but a digit, a point or an
    /// exponent; read as units of 10⁻⁸ (below 10¹⁸, so without overflow) and consumed. Nil,
    /// with nothing consumed, for any other text: `DecimalUnits.parse` then reads it, and where
    /// this answers it gives the same value. Eight bytes at a time (`DigitWords`) where the
    /// input has room for them, byte by byte near its end.
    private func plainDecimalUnits() -> Int64? {
        let bytes = cursor.pointee.lexer.bytes
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = cursor.pointee.lexer.position
        let negative = index < count && base[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        if count - index >= DigitWords.readable {
            guard let (units, length) = DigitWords.decimalUnits(base + index) else { return nil }
            cursor.pointee.lexer.position = index + length
            return negative ? -units : units
        }
        let integerStart = index
        var units: Int64 = 0
        while index < count, base[index] &- UInt8(ascii: "0") < 10 {
            guard index - integerStart < 10 else { return nil }
            units = units &* 10 &+ Int64(base[index] &- UInt8(ascii: "0"))
            index += 1
        }
        guard index > integerStart, index - integerStart == 1 || base[integerStart] != UInt8(ascii: "0") else { return nil }
        var fractionDigits = 0
        if index < count, base[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, base[index] &- UInt8(ascii: "0") < 10 {
                guard fractionDigits < WireDecimal.decimals else { return nil }
                units = units &* 10 &+ Int64(base[index] &- UInt8(ascii: "0"))
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { return nil }
        }
        if index < count, base[index] == UInt8(ascii: ".") || base[index] | 0x20 == UInt8(ascii: "e") { return nil }
        for _ in fractionDigits ..< WireDecimal.decimals { units = units &* 10 }
        cursor.pointee.lexer.position = index
        return negative ? -units : units
    }

    /// Nil for `null`.
    package func optionalDecimal() throws(FastPathDeclined) -> WireDecimal? { try readNull() ? nil : try decimal() }

    /// The common integer (a timestamp, a version) in one pass over its bytes:
    /// `-?(0|[1-9][0-9]{0,17})`, ending before anything but a digit, a point or an exponent
    /// (below 10¹⁸, so without overflow), consumed. Nil, with nothing consumed, for any other
    /// text: `anyInteger(_:)` then reads it, and where this answers it gives the same value.
    /// Eight bytes at a time (`DigitWords`) where the input has room for them.
    @usableFromInline
    func plainInteger() -> Int64? {
        let bytes = cursor.pointee.lexer.bytes
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = cursor.pointee.lexer.position
        let negative = index < count && base[index] == UInt8(ascii: "-")
        if negative { index &+= 1 }
        if count &- index >= DigitWords.readable {
            guard let (value, length) = DigitWords.integer(base + index) else { return nil }
            cursor.pointee.lexer.position = index &+ length
            return negative ? -value : value
        }
        let digitsStart = index
        let limit = min(count, digitsStart &+ 19)
        var value: Int64 = 0
        while index < limit, base[index] &- UInt8(ascii: "0") < 10 {
            value = value &* 10 &+ Int64(base[index] &- UInt8(ascii: "0"))
            index &+= 1
        }
        guard index > digitsStart, index &- digitsStart < 19, index &- digitsStart == 1 || base[digitsStart] != UInt8(ascii: "0")
        else { return nil }
        if index < count, base[index] == UInt8(ascii: ".") || base[index] | 0x20 == UInt8(ascii: "e") { return nil }
        cursor.pointee.lexer.position = index
        return negative ? -value : value
    }

    /// An integer of `Value`'s range. Inlinable, so a caller in another module gets it
    /// specialized: the common integer is read by `plainInteger()` and converted in place, with
    /// no generic parsing through witness tables (about 3,700 instructions a call unspecialized).
    @inlinable
    package func integer<Value: FixedWidthInteger>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value {
        if let plain = plainInteger() {
            guard let value = Value(exactly: plain) else { throw FastPathDeclined() }
            return value
        }
        return try anyInteger(type)
    }

    /// Any integer text of `Value`'s range, beyond what `plainInteger()` reads (more digits, an
    /// exponent or a fraction of zero).
    @usableFromInline
    package func anyInteger<Value: FixedWidthInteger>(_ type: Value.Type) throws(FastPathDeclined) -> Value {
        let (text, hasFractionOrExponent) = try number()
        guard let value: Value = JSONNumber.integer(text, hasFractionOrExponent: hasFractionOrExponent) else { throw FastPathDeclined() }
        return value
    }

    /// Nil for `null`.
    @inlinable
    package func optionalInteger<Value: FixedWidthInteger>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value? {
        try readNull() ? nil : try integer(type)
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
