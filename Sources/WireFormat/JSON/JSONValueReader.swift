import DecimalText
import Foundation

/// One value of a scanned document, read in place for the hand-written fast paths. Every read
/// accepts exactly what the `Codable` path accepts and converts it with the same functions
/// (`JSONText.string`, `JSONNumber`); anything else declines, and the `Codable` path then
/// reports the error.
@usableFromInline
package struct JSONValueReader {
    @usableFromInline let nodes: UnsafeBufferPointer<JSONNode>
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let index: Int

    @usableFromInline
    init(nodes: UnsafeBufferPointer<JSONNode>, bytes: UnsafeBufferPointer<UInt8>, index: Int) {
        self.nodes = nodes
        self.bytes = bytes
        self.index = index
    }

    /// Scans `data` and hands its top-level value to `body`; nil when the data is not JSON or
    /// `body` declines. The reader is only valid inside `body`.
    @inlinable
    package static func read<Result>(_ data: Data, _ body: (JSONValueReader) throws(FastPathDeclined) -> Result) -> Result? {
        data.withUnsafeBytes { raw -> Result? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let nodes = JSONScanner.nodes(of: bytes) else { return nil }
            return nodes.withUnsafeBufferPointer { nodes in
                try? body(JSONValueReader(nodes: nodes, bytes: bytes, index: 0))
            }
        }
    }

    /// Scans `data` like `read(_:_:)` and also returns the scanned nodes, so the document can be
    /// read again with `read(_:nodes:at:_:)` without a second scan.
    static func scan<Result>(_ data: Data, _ body: (JSONValueReader) throws(FastPathDeclined) -> Result) -> (Result, [JSONNode])? {
        data.withUnsafeBytes { raw -> (Result, [JSONNode])? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let nodes = JSONScanner.nodes(of: bytes) else { return nil }
            let result = nodes.withUnsafeBufferPointer { buffer in
                try? body(JSONValueReader(nodes: buffer, bytes: bytes, index: 0))
            }
            return result.map { ($0, nodes) }
        }
    }

    /// Hands the value at node `index` of `nodes`, the scan of `data`, to `body`; nil when `body`
    /// declines. The reader is only valid inside `body`.
    static func read<Result>(_ data: Data, nodes: [JSONNode], at index: Int,
                             _ body: (JSONValueReader) throws(FastPathDeclined) -> Result) -> Result? {
        data.withUnsafeBytes { raw -> Result? in
            nodes.withUnsafeBufferPointer { buffer in
                try? body(JSONValueReader(nodes: buffer, bytes: raw.bindMemory(to: UInt8.self), index: index))
            }
        }
    }

    /// The index of this value's node in its document.
    @inlinable
    package var position: Int { index }

    private var node: JSONNode { nodes[index] }

    @usableFromInline
    func reader(at index: Int) -> JSONValueReader { JSONValueReader(nodes: nodes, bytes: bytes, index: index) }

    /// The raw bytes of a string (without quotes) or number node.
    @usableFromInline
    func text(of node: JSONNode) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(node.start) ..< Int(node.start) + Int(node.length)])
    }

    @usableFromInline
    package var isNull: Bool { node.kind == .null }

    @usableFromInline
    package func string() throws(FastPathDeclined) -> String {
        let node = node
        guard node.kind == .string else { throw FastPathDeclined() }
        return JSONText.string(text(of: node), hasEscapes: node.flags & JSONNode.hasEscapes != 0)
    }

    /// Nil for `null`, as `decodeIfPresent` reads it.
    @usableFromInline
    package func optionalString() throws(FastPathDeclined) -> String? { isNull ? nil : try string() }

    package func double() throws(FastPathDeclined) -> Double {
        let node = node
        guard node.kind == .number, let value = JSONNumber.double(text(of: node)) else { throw FastPathDeclined() }
        return value
    }

    /// Nil for `null`.
    package func optionalDouble() throws(FastPathDeclined) -> Double? { isNull ? nil : try double() }

    /// A number read exactly; anything `DecimalUnits.parse` refuses declines, so the
    /// `Codable` path reports it.
    package func decimal() throws(FastPathDeclined) -> WireDecimal {
        let node = node
        guard node.kind == .number, let units = DecimalUnits.parse(text(of: node), decimals: WireDecimal.decimals) else {
            throw FastPathDeclined()
        }
        return WireDecimal(units: units)
    }

    /// Nil for `null`.
    package func optionalDecimal() throws(FastPathDeclined) -> WireDecimal? { isNull ? nil : try decimal() }

    /// `integer()` as an `Int`, callable without generic dispatch from other modules.
    @usableFromInline
    package func integer(_ type: Int.Type) throws(FastPathDeclined) -> Int { try integer() }

    /// `integer()` as an `Int64`, callable without generic dispatch from other modules.
    @usableFromInline
    package func integer(_ type: Int64.Type) throws(FastPathDeclined) -> Int64 { try integer() }

    package func integer<Value: FixedWidthInteger>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value {
        let node = node
        guard node.kind == .number,
              let value: Value = JSONNumber.integer(text(of: node), hasFractionOrExponent: node.flags != 0)
        else { throw FastPathDeclined() }
        return value
    }

    /// Nil for `null`.
    package func optionalInteger<Value: FixedWidthInteger>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value? {
        isNull ? nil : try integer(type)
    }

    package func bool() throws(FastPathDeclined) -> Bool {
        switch node.kind {
        case .true: return true
        case .false: return false
        default: throw FastPathDeclined()
        }
    }

    @inlinable
    package func value<Value: FastWireCodable>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value {
        try Value(fastJSON: self)
    }

    /// Nil for `null`.
    @inlinable
    package func optionalValue<Value: FastWireCodable>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value? {
        isNull ? nil : try Value(fastJSON: self)
    }

    /// The elements of an array, each read by `element`.
    @inlinable
    package func array<Element>(_ element: (JSONValueReader) throws(FastPathDeclined) -> Element) throws(FastPathDeclined) -> [Element] {
        guard let count = arrayCount else { throw FastPathDeclined() }
        var elements: [Element] = []
        elements.reserveCapacity(count)
        var cursor = index + 1
        for _ in 0 ..< count {
            let reader = JSONValueReader(nodes: nodes, bytes: bytes, index: cursor)
            elements.append(try element(reader))
            cursor = reader.nextSibling
        }
        return elements
    }

    /// The number of elements when this value is an array.
    @usableFromInline
    var arrayCount: Int? {
        let node = node
        return node.kind == .array ? Int(node.length) : nil
    }

    /// The index of the node after this value and its contents.
    @usableFromInline
    var nextSibling: Int { Int(node.end) }

    @inlinable
    package func array<Element: FastWireCodable>(of type: Element.Type) throws(FastPathDeclined) -> [Element] {
        try array { reader throws(FastPathDeclined) in try Element(fastJSON: reader) }
    }

    /// An array of strings.
    @usableFromInline
    package func strings() throws(FastPathDeclined) -> [String] {
        try array { (element: JSONValueReader) throws(FastPathDeclined) -> String in try element.string() }
    }

    /// Nil for `null`.
    @inlinable
    package func optionalArray<Element: FastWireCodable>(of type: Element.Type) throws(FastPathDeclined) -> [Element]? {
        isNull ? nil : try array(of: type)
    }

    /// An object of decimals by name (a `[String: WireDecimal]`); the first member of a repeated
    /// name counts, as the `Codable` path reads it.
    package func decimalsByName() throws(FastPathDeclined) -> [String: WireDecimal] {
        guard node.kind == .object else { throw FastPathDeclined() }
        var values: [String: WireDecimal] = [:]
        var cursor = index + 1
        while cursor < Int(node.end) {
            let name = try reader(at: cursor).string()
            let value = try reader(at: cursor + 1).decimal()
            if values[name] == nil { values[name] = value }
            cursor = Int(nodes[cursor + 1].end)
        }
        return values
    }

    /// The members of an object whose names are in `keys`.
    @usableFromInline
    package func members(_ keys: JSONKeyTable) throws(FastPathDeclined) -> JSONMemberIterator {
        guard node.kind == .object else { throw FastPathDeclined() }
        return JSONMemberIterator(object: self, keys: keys, cursor: index + 1, end: Int(node.end))
    }

    /// Goes through an object's members as the `Codable` path finds them: the first member of
    /// each known name, unknown names skipped. A name with escapes or non-ASCII bytes declines,
    /// since the `Codable` path compares such names as Swift strings (canonical equivalence).
    /// Inlinable, so each payload's member loop runs without a call per member.
    @usableFromInline
    package struct JSONMemberIterator {
        @usableFromInline let object: JSONValueReader
        @usableFromInline let keys: JSONKeyTable
        @usableFromInline var cursor: Int
        @usableFromInline let end: Int
        @usableFromInline var seen: UInt64 = 0
        /// Where the name lookup starts: just after the last field found, since writers put
        /// members in the table's order.
        @usableFromInline var expected = 0

        fileprivate init(object: JSONValueReader, keys: JSONKeyTable, cursor: Int, end: Int) {
            self.object = object
            self.keys = keys
            self.cursor = cursor
            self.end = end
        }

        /// The next known member: its position in the key table and its value.
        @inlinable
        package mutating func next() throws(FastPathDeclined) -> (field: Int, value: JSONValueReader)? {
            while cursor < end {
                let keyIndex = cursor
                let key = object.nodes[keyIndex]
                cursor = Int(object.nodes[keyIndex + 1].end)
                guard key.flags == 0 else { throw FastPathDeclined() }
                guard let field = keys.field(named: object.text(of: key), from: expected) else { continue }
                let bit: UInt64 = 1 << UInt64(field)
                guard seen & bit == 0 else { continue }
                seen |= bit
                expected = field + 1
                return (field, object.reader(at: keyIndex + 1))
            }
            return nil
        }
    }
}

/// The member names of one type, in the byte order the encoder writes them; a name's position
/// is its field number for `JSONValueReader.members`.
@usableFromInline
package struct JSONKeyTable: Sendable {
    @usableFromInline let names: [StaticString]

    /// At most 64 names, strictly sorted by their UTF-8 bytes.
    @usableFromInline
    package init(_ names: StaticString...) {
        precondition(names.count <= 64, "a key table holds at most 64 names")
        for position in names.indices.dropFirst() {
            let previous = UnsafeBufferPointer(start: names[position - 1].utf8Start, count: names[position - 1].utf8CodeUnitCount)
            let current = UnsafeBufferPointer(start: names[position].utf8Start, count: names[position].utf8CodeUnitCount)
            precondition(previous.lexicographicallyPrecedes(current), "key table names must be sorted: \(names[position])")
        }
        self.names = names
    }

    /// The field number of the name spelled by `bytes`, trying the names from field `first`
    /// on and then those before it (names are unique, so the order only changes the cost).
    @inlinable
    package func field(named bytes: UnsafeBufferPointer<UInt8>, from first: Int) -> Int? {
        let count = names.count
        var field = first < count ? first : 0
        for _ in 0 ..< count {
            let name = names[field]
            if name.utf8CodeUnitCount == bytes.count,
               JSONText.equal(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), bytes) {
                return field
            }
            field = field + 1 == count ? 0 : field + 1
        }
        return nil
    }
}
