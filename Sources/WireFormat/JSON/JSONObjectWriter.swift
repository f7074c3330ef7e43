/// Why a hand-written fast path gave a value back to the `Codable` path: the value or input is
/// one the fast path does not handle (a non-finite number, a wrong type, a missing field, a key
/// with escapes…). The `Codable` path then produces the result or the exact error.
@usableFromInline
package struct FastPathDeclined: Error {
    @inlinable
    package init() {}
}

/// Writes one JSON object member by member straight into a buffer, for the hand-written fast
/// paths. Members must be named in the byte order of their names (checked in debug builds),
/// which is the order `WireJSONEncoder` sorts them into; values are written with the same
/// `JSONWriter` functions, so the bytes are the same.
@usableFromInline
package struct JSONObjectWriter {
    @usableFromInline let out: ByteBuffer
    @usableFromInline var isEmpty = true
    @usableFromInline var lastName: StaticString = ""

    /// Opens an object.
    @usableFromInline
    package init(_ out: ByteBuffer) {
        self.out = out
        out.append(UInt8(ascii: "{"))
    }

    /// Closes the object.
    @usableFromInline
    package func close() { out.append(UInt8(ascii: "}")) }

    /// `"name":`, after a comma unless it is the first member; the member's value is written next.
    @usableFromInline
    package mutating func name(_ name: StaticString) {
        named(name)
        out.appendMemberName(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), first: isEmpty)
        isEmpty = false
    }

    /// Checks and records the order of member names.
    private mutating func named(_ name: StaticString) {
        assert(isEmpty || Self.precedes(lastName, name), "members out of order: \(lastName) before \(name)")
        lastName = name
    }

    /// Whether `left` sorts before `right` by UTF-8 bytes.
    private static func precedes(_ left: StaticString, _ right: StaticString) -> Bool {
        let leftBytes = UnsafeBufferPointer(start: left.utf8Start, count: left.utf8CodeUnitCount)
        let rightBytes = UnsafeBufferPointer(start: right.utf8Start, count: right.utf8CodeUnitCount)
        return leftBytes.lexicographicallyPrecedes(rightBytes)
    }

    /// A value without escapes is written with its name in one append (its bytes read in place,
    /// without the copy of the string that `withUTF8` needs).
    @usableFromInline
    package mutating func string(_ name: StaticString, _ value: String) {
        let first = isEmpty
        let written = value.utf8.withContiguousStorageIfAvailable { bytes in
            out.appendStringMember(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), bytes, first: first)
        }
        guard written == true else {
            self.name(name)
            JSONWriter.appendQuoted(value, to: out)
            return
        }
        named(name)
        isEmpty = false
    }

    /// Omitted when nil, as synthesized `Codable` does.
    package mutating func optionalString(_ name: StaticString, _ value: String?) {
        if let value { string(name, value) }
    }

    /// Written as `null` when nil.
    @usableFromInline
    package mutating func stringOrNull(_ name: StaticString, _ value: String?) {
        guard let value else {
            self.name(name)
            out.append("null")
            return
        }
        string(name, value)
    }

    @inlinable
    package mutating func rawValue<Value: RawRepresentable<String>>(_ name: StaticString, _ value: Value) {
        string(name, value.rawValue)
    }

    /// Non-finite values decline: the `Codable` path reports them.
    package mutating func double(_ name: StaticString, _ value: Double) throws(FastPathDeclined) {
        guard value.isFinite else { throw FastPathDeclined() }
        self.name(name)
        JSONWriter.appendDouble(value, to: out)
    }

    /// Omitted when nil.
    package mutating func optionalDouble(_ name: StaticString, _ value: Double?) throws(FastPathDeclined) {
        if let value { try double(name, value) }
    }

    package mutating func decimal(_ name: StaticString, _ value: WireDecimal) {
        self.name(name)
        JSONWriter.appendDecimal(value.units, to: out)
    }

    /// Omitted when nil.
    package mutating func optionalDecimal(_ name: StaticString, _ value: WireDecimal?) {
        if let value { decimal(name, value) }
    }

    /// An `Int`, without generic dispatch when called from other modules.
    @usableFromInline
    package mutating func integer(_ name: StaticString, _ value: Int) {
        self.name(name)
        JSONWriter.appendInteger(value, to: out)
    }

    /// An `Int64`, without generic dispatch when called from other modules.
    @usableFromInline
    package mutating func integer(_ name: StaticString, _ value: Int64) {
        self.name(name)
        JSONWriter.appendInteger(value, to: out)
    }

    package mutating func integer<Value: FixedWidthInteger>(_ name: StaticString, _ value: Value) {
        self.name(name)
        JSONWriter.appendInteger(value, to: out)
    }

    package mutating func bool(_ name: StaticString, _ value: Bool) {
        self.name(name)
        out.append(value ? "true" : "false")
    }

    @inlinable
    package mutating func value<Value: FastWireCodable>(_ name: StaticString, _ value: Value) throws(FastPathDeclined) {
        self.name(name)
        try value.writeFastJSON(to: out)
    }

    /// A value its own form wrote already, as those bytes (`json` must be what
    /// `writeFastJSON(to:)` writes for it, or JSON that reads as the same value: the bytes it was
    /// read from, `Envelope.receivedPayload`).
    @usableFromInline
    package mutating func written(_ name: StaticString, _ json: UnsafeRawBufferPointer) {
        self.name(name)
        out.append(json.bindMemory(to: UInt8.self))
    }

    /// Omitted when nil.
    @inlinable
    package mutating func optionalValue<Value: FastWireCodable>(_ name: StaticString, _ value: Value?) throws(FastPathDeclined) {
        if let value { try self.value(name, value) }
    }

    @inlinable
    package mutating func array<Element: FastWireCodable>(_ name: StaticString, _ elements: [Element]) throws(FastPathDeclined) {
        self.name(name)
        out.append(UInt8(ascii: "["))
        // An index loop: `enumerated()` in this generic function instantiated the metadata of
        // its sequence and iterator types on every call.
        for position in elements.indices {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            try elements[position].writeFastJSON(to: out)
        }
        out.append(UInt8(ascii: "]"))
    }

    package mutating func strings(_ name: StaticString, _ values: [String]) {
        self.name(name)
        out.append(UInt8(ascii: "["))
        for position in values.indices {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendQuoted(values[position], to: out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// An object of decimals by name (a `[String: WireDecimal]`), its members in the byte order
    /// of their names, as `WireJSONEncoder` sorts a dictionary's keys.
    package mutating func decimalsByName(_ name: StaticString, _ values: [String: WireDecimal]) {
        self.name(name)
        out.append(UInt8(ascii: "{"))
        for (position, key) in values.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendQuoted(key, to: out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.appendDecimal(values[key]!.units, to: out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Omitted when nil.
    @inlinable
    package mutating func optionalArray<Element: FastWireCodable>(_ name: StaticString, _ elements: [Element]?) throws(FastPathDeclined) {
        if let elements { try array(name, elements) }
    }
}
