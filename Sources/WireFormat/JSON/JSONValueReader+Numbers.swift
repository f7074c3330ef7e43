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
}
