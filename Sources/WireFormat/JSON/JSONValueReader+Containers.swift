import Foundation

/// Objects and arrays read as they are scanned: members and elements in document order, each
/// value read by the caller or skipped (and checked) by the reader.
extension JSONValueReader {
    /// Opens the array or object the cursor stands at (past its bracket); declines beyond the
    /// scanner's deepest nesting.
    @usableFromInline
    func open() throws(FastPathDeclined) -> Int {
        guard cursor.pointee.depth < JSONScanner.maximumDepth else { throw FastPathDeclined() }
        cursor.pointee.depth += 1
        cursor.pointee.lexer.position += 1
        return cursor.pointee.depth
    }

    /// Moves to the next member name of an open object, past the comma before it unless it is
    /// the first; false, after the closing brace, when the object ends.
    func nextMember(first: inout Bool) throws(FastPathDeclined) -> Bool {
        guard try nextItem(first: &first, closing: UInt8(ascii: "}")) else { return false }
        guard next == UInt8(ascii: "\"") else { throw FastPathDeclined() }
        return true
    }

    /// Moves to the next element of an open array; false, after the closing bracket, when the
    /// array ends.
    @usableFromInline
    func nextElement(first: inout Bool) throws(FastPathDeclined) -> Bool {
        try nextItem(first: &first, closing: UInt8(ascii: "]"))
    }

    private func nextItem(first: inout Bool, closing: UInt8) throws(FastPathDeclined) -> Bool {
        cursor.pointee.lexer.skipWhitespace()
        let byte = next
        if byte == closing {
            cursor.pointee.lexer.position += 1
            cursor.pointee.depth -= 1
            return false
        }
        if !first {
            guard byte == UInt8(ascii: ",") else { throw FastPathDeclined() }
            cursor.pointee.lexer.position += 1
            cursor.pointee.lexer.skipWhitespace()
        }
        first = false
        return true
    }

    /// The member name the cursor stands at, consumed; declines unless it is plain ASCII without
    /// escapes (the names every reader here compares byte for byte).
    func plainName() throws(FastPathDeclined) -> String {
        let (text, hasEscapes) = try stringText()
        guard !hasEscapes, !text.contains(where: { $0 >= 0x80 }) else { throw FastPathDeclined() }
        return String(decoding: text, as: UTF8.self)
    }

    /// Past the `:` after a member name, at the start of its value.
    func skipColon() throws(FastPathDeclined) {
        cursor.pointee.lexer.skipWhitespace()
        guard next == UInt8(ascii: ":") else { throw FastPathDeclined() }
        cursor.pointee.lexer.position += 1
        cursor.pointee.lexer.skipWhitespace()
    }

    /// Checks that the value handed out at `start` inside a container of `depth` was read
    /// whole; skips it when it was not read at all.
    @usableFromInline @inline(__always)
    func finishValue(from start: Int, depth: Int) throws(FastPathDeclined) {
        if cursor.pointee.lexer.position == start { try skipValue() }
        guard cursor.pointee.depth == depth else { throw FastPathDeclined() }
    }

    /// The elements of an array, each read by `element`.
    @inlinable
    package func array<Element>(_ element: (JSONValueReader) throws(FastPathDeclined) -> Element) throws(FastPathDeclined) -> [Element] {
        guard next == UInt8(ascii: "[") else { throw FastPathDeclined() }
        let depth = try open()
        var elements: [Element] = []
        var first = true
        while try nextElement(first: &first) {
            let start = position
            // Room for a few at the first: an array grown one at a time is made again at its
            // second and third element (most arrays in messages hold one to eight).
            if elements.isEmpty { elements.reserveCapacity(4) }
            elements.append(try element(self))
            try finishValue(from: start, depth: depth)
        }
        return elements
    }

    @inlinable
    package func array<Element: FastWireCodable>(of type: Element.Type) throws(FastPathDeclined) -> [Element] {
        try array { reader throws(FastPathDeclined) in try Element(fastJSON: reader) }
    }

    /// Nil for `null`.
    @inlinable
    package func optionalArray<Element: FastWireCodable>(of type: Element.Type) throws(FastPathDeclined) -> [Element]? {
        try readNull() ? nil : try array(of: type)
    }

    /// An array of strings.
    @usableFromInline
    package func strings() throws(FastPathDeclined) -> [String] {
        try array { (element: JSONValueReader) throws(FastPathDeclined) -> String in try element.string() }
    }

    /// An object of decimals by name (a `[String: WireDecimal]`); the first member of a repeated
    /// name counts, as the `Codable` path reads it.
    package func decimalsByName() throws(FastPathDeclined) -> [String: WireDecimal] {
        guard next == UInt8(ascii: "{") else { throw FastPathDeclined() }
        _ = try open()
        var values: [String: WireDecimal] = [:]
        var first = true
        while try nextMember(first: &first) {
            let name = try string()
            try skipColon()
            let value = try decimal()
            if values[name] == nil { values[name] = value }
        }
        return values
    }

    /// The members of an object whose names are in `keys`, to be read in document order.
    @usableFromInline
    package func members(_ keys: JSONKeyTable) throws(FastPathDeclined) -> JSONMemberIterator {
        guard next == UInt8(ascii: "{") else { throw FastPathDeclined() }
        return JSONMemberIterator(object: self, keys: keys, depth: try open())
    }

    /// Goes through an object's members as the `Codable` path finds them: the first member of
    /// each known name, unknown names and repeated ones skipped (and checked). A name with
    /// escapes or non-ASCII bytes declines, since the `Codable` path compares such names as
    /// Swift strings (canonical equivalence). Each value handed out must be read before the
    /// next call (or is skipped when it was not touched); the object is read when `next()`
    /// returns nil.
    @usableFromInline
    package struct JSONMemberIterator {
        private let object: JSONValueReader
        private let keys: JSONKeyTable
        /// Containers open inside the object.
        private let depth: Int
        private var first = true
        private var seen: UInt64 = 0
        /// Where the name lookup starts: just after the last field found, since writers put
        /// members in the table's order.
        private var expected = 0
        /// Where the value last handed out starts; -1 when none is out.
        private var pending = -1

        fileprivate init(object: JSONValueReader, keys: JSONKeyTable, depth: Int) {
            self.object = object
            self.keys = keys
            self.depth = depth
        }

        /// The next known member: its position in the key table and its value.
        @usableFromInline
        package mutating func next() throws(FastPathDeclined) -> (field: Int, value: JSONValueReader)? {
            if pending >= 0 {
                try object.finishValue(from: pending, depth: depth)
                pending = -1
            }
            while let field = try object.nextMemberField(keys, expected: expected, first: &first) {
                if field >= 0 {
                    let bit: UInt64 = 1 << UInt64(field)
                    if seen & bit == 0 {
                        seen |= bit
                        expected = field + 1
                        pending = object.position
                        return (field, object)
                    }
                }
                object.cursor.pointee.irregularMembers &+= 1
                try object.skipValue()
            }
            return nil
        }
    }

    /// Reads an open object up to the value of its next member (the comma before it unless it is
    /// the first, its name, the colon) in one pass over the bytes, and returns the name's field
    /// in `keys`, -1 for a name not in the table, or nil after the closing brace.
    @inline(__always)
    func nextMemberField(_ keys: JSONKeyTable, expected: Int, first: inout Bool) throws(FastPathDeclined) -> Int? {
        let bytes = cursor.pointee.lexer.bytes
        guard let base = bytes.baseAddress else { throw FastPathDeclined() }
        let count = bytes.count
        var index = Self.skippingWhitespace(base, count, from: cursor.pointee.lexer.position)
        guard index < count else { throw FastPathDeclined() }
        var byte = base[index]
        if byte == UInt8(ascii: "}") {
            cursor.pointee.lexer.position = index + 1
            cursor.pointee.depth -= 1
            return nil
        }
        if !first {
            guard byte == UInt8(ascii: ",") else { throw FastPathDeclined() }
            index = Self.skippingWhitespace(base, count, from: index + 1)
            guard index < count else { throw FastPathDeclined() }
            byte = base[index]
        }
        first = false
        guard byte == UInt8(ascii: "\"") else { throw FastPathDeclined() }
        index += 1
        // Every name of the table is compared in place; a name that is none of them is checked
        // as a string and must be plain.
        let field: Int
        if let found = keys.field(at: base + index, available: count - index, from: expected) {
            field = found
            index += keys.names[found].length + 1
        } else {
            index = try endOfPlainName(from: index)
            field = -1
        }
        index = Self.skippingWhitespace(base, count, from: index)
        guard index < count, base[index] == UInt8(ascii: ":") else { throw FastPathDeclined() }
        cursor.pointee.lexer.position = Self.skippingWhitespace(base, count, from: index + 1)
        return field
    }

    /// The index after the closing quote of a member name starting at `start`; declines a name
    /// with escapes or non-ASCII bytes, which the `Codable` path compares as a Swift string
    /// (canonical equivalence).
    private func endOfPlainName(from start: Int) throws(FastPathDeclined) -> Int {
        cursor.pointee.lexer.position = start
        let flags: UInt8
        do { flags = try cursor.pointee.lexer.scanStringContent() } catch { throw FastPathDeclined() }
        guard flags == 0 else { throw FastPathDeclined() }
        return cursor.pointee.lexer.position + 1
    }

    /// The index of the first byte from `start` on that is not JSON whitespace.
    @inline(__always)
    static func skippingWhitespace(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> Int {
        var index = start
        while index < count {
            let byte = base[index]
            guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return index }
            index += 1
        }
        return index
    }
}
