/// Converts the bytes of a number the scanner has validated against the JSON grammar, with
/// Foundation's rules: a result that overflows to infinity, or that underflows to zero although
/// a digit is not zero, is not representable; integers written with a fraction or exponent are
/// accepted when the value is exactly an integer in range.
enum JSONNumber {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The largest integer below which every integer is exactly a Double: 2^53.
    private static let exactMantissaLimit: UInt64 = 1 << 53

    /// The nearest Double, or nil when not representable.
    ///
    /// Exact fast path (Clinger): when the significant digits form an integer of at most 2^53,
    /// it is exactly a Double, and 10^k for k ≤ 22 is exactly a Double too, so one IEEE
    /// multiplication or division yields the correctly rounded result. That takes the 16-digit
    /// forms Swift writes for most Doubles (below 9.007199254740992 × 10^n), not only those of
    /// 15 digits or fewer. Anything else goes to the standard library's correctly rounded parser.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var scale = 0
        var inFraction = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if let digit = digitValue(byte) {
                if mantissa != 0 || digit != 0 { significantDigits += 1 }
                // 19 digits always fit a UInt64; whether they are few enough is checked below.
                guard significantDigits <= 19 else { return standardLibraryDouble(bytes) }
                mantissa = mantissa * 10 + UInt64(digit)
                if inFraction { scale -= 1 }
            } else {
                break // 'e' or 'E'
            }
            index += 1
        }
        if index < bytes.count { // exponent
            index += 1
            var exponentNegative = false
            if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                guard exponent < 100 else { return standardLibraryDouble(bytes) }
                exponent = exponent * 10 + Int(digit)
                index += 1
            }
            scale += exponentNegative ? -exponent : exponent
        }
        guard mantissa <= Self.exactMantissaLimit, (-22 ... 22).contains(scale) else { return standardLibraryDouble(bytes) }
        var value = Double(mantissa)
        value = scale < 0 ? value / powersOfTen[-scale] : value * powersOfTen[scale]
        return negative ? -value : value
    }

    /// The value as `T` when it is exactly an integer that fits, nil otherwise.
    ///
    /// As Foundation: digits alone must fit `T`; with a fraction or exponent the number is read
    /// as a Double (an underflow to zero reads as 0 here) and must convert exactly.
    static func integer<T: FixedWidthInteger>(_ bytes: UnsafeBufferPointer<UInt8>, hasFractionOrExponent: Bool) -> T? {
        guard hasFractionOrExponent else { return plainInteger(bytes) }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return T(exactly: value)
    }

    /// The nearest Float, or nil when not representable.
    static func float(_ bytes: UnsafeBufferPointer<UInt8>) -> Float? {
        guard let value = Float(String(decoding: bytes, as: UTF8.self)) else { return nil }
        return representable(value, bytes) ? value : nil
    }

    private static func plainInteger<T: FixedWidthInteger>(_ bytes: UnsafeBufferPointer<UInt8>) -> T? {
        let negative = bytes[0] == UInt8(ascii: "-")
        var value: T = 0
        for byte in bytes.dropFirst(negative ? 1 : 0) {
            guard let digit = digitValue(byte) else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, carry) = negative ? shifted.subtractingReportingOverflow(T(digit)) : shifted.addingReportingOverflow(T(digit))
            guard !overflow, !carry else { return nil }
            value = next
        }
        return value
    }

    private static func standardLibraryDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let value = Double(String(decoding: bytes, as: UTF8.self)) else { return nil }
        return representable(value, bytes) ? value : nil
    }

    private static func representable<F: BinaryFloatingPoint>(_ value: F, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard value.isFinite else { return false }
        guard value == 0 else { return true }
        for byte in bytes {
            if byte | 0x20 == UInt8(ascii: "e") { break }
            if byte >= UInt8(ascii: "1"), byte <= UInt8(ascii: "9") { return false }
        }
        return true
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        let digit = byte &- UInt8(ascii: "0")
        return digit < 10 ? digit : nil
    }
}
