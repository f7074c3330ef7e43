import DecimalText

// The numbers of `JSONValueReader`: decimals exactly, integers, doubles.
extension JSONValueReader {
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

    /// The common quantity or price, read eight bytes at a time (`DigitWords`):
    /// `-?(0|[1-9][0-9]{0,9})`, then optionally `.` and one to eight digits, ending before
    /// anything but a digit, a point or an exponent; read as units of 10⁻⁸ (below 10¹⁸, so
    /// without overflow) and consumed. Nil, with nothing consumed, for any other text:
    /// `DecimalUnits.parse` then reads it, and where this answers it gives the same value.
    private func plainDecimalUnits() -> Int64? {
        guard let (units, _, negative) = plain(DigitWords.decimalUnits) else { return nil }
        return negative ? -units : units
    }

    /// Nil for `null`.
    package func optionalDecimal() throws(FastPathDeclined) -> WireDecimal? { try readNull() ? nil : try decimal() }

    /// The common integer (a timestamp, a version), read eight bytes at a time (`DigitWords`):
    /// `-?(0|[1-9][0-9]{0,17})`, ending before anything but a digit, a point or an exponent
    /// (below 10¹⁸, so without overflow), consumed. Nil, with nothing consumed, for any other
    /// text: `anyInteger(_:)` then reads it, and where this answers it gives the same value.
    @usableFromInline
    func plainInteger() -> Int64? {
        guard let (value, _, negative) = plain(DigitWords.integer) else { return nil }
        return negative ? -value : value
    }

    /// The magnitude `read` finds after an optional minus sign where the cursor stands, and
    /// whether there was the sign; the number consumed. Nil, with nothing consumed, where
    /// `read` finds none.
    @inline(__always)
    private func plain(_ read: (UnsafePointer<UInt8>) -> (Int64, length: Int)?) -> (Int64, length: Int, negative: Bool)? {
        let bytes = cursor.pointee.lexer.bytes
        guard let base = bytes.baseAddress else { return nil }
        var index = cursor.pointee.lexer.position
        let negative = index < bytes.count && base[index] == UInt8(ascii: "-")
        if negative { index &+= 1 }
        guard let (magnitude, length) = DigitWords.reading(base + index, available: bytes.count &- index, read) else { return nil }
        cursor.pointee.lexer.position = index &+ length
        return (magnitude, length, negative)
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
}
