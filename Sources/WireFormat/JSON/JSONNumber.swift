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
    /// 15 digits or fewer. Up to 19 digits above 2^53, with k ≤ 22 after the point or up to 19
    /// zeros before it, the digits and 10^k are divided or multiplied as 128-bit integers and
    /// rounded by hand (`quotient`, `product`). Anything else goes to the standard library's
    /// correctly rounded parser.
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
        let value: Double
        if mantissa <= Self.exactMantissaLimit, (-22 ... 22).contains(scale) {
            value = scale < 0 ? Double(mantissa) / powersOfTen[-scale] : Double(mantissa) * powersOfTen[scale]
        } else if (-22 ... -1).contains(scale) {
            value = quotient(mantissa, tenTo: -scale)
        } else if (0 ... 19).contains(scale) {
            value = product(mantissa, tenTo: scale)
        } else {
            return standardLibraryDouble(bytes)
        }
        return negative ? -value : value
    }

    /// 10^0 ... 10^22 as integers.
    private static let exactPowersOfTen: [UInt128] = (0 ... 22).reduce(into: []) { powers, k in powers.append(k == 0 ? 1 : powers[k - 1] * 10) }

    /// `mantissa` / 10^k correctly rounded, for 0 < mantissa < 2^64 and 1 ≤ k ≤ 22: the 17- to
    /// 19-digit fractions Swift writes for many Doubles, above Clinger's exact range.
    ///
    /// The mantissa is shifted left, where it needs to be, so that the integer quotient has at
    /// least 54 bits (53 kept and one to round by); the remainder says whether anything lies
    /// below them. With 10^22 < 2^74 and the mantissa below 2^64, the shifted mantissa stays
    /// below 2^128.
    private static func quotient(_ mantissa: UInt64, tenTo k: Int) -> Double {
        let divisor = exactPowersOfTen[k]
        let mantissaBits = UInt64.bitWidth - mantissa.leadingZeroBitCount
        let divisorBits = UInt128.bitWidth - divisor.leadingZeroBitCount
        // mantissa << shift ≥ 2^(53 + divisorBits) > 2^53 × divisor, and < 2^(54 + divisorBits) ≤ 2^55 × divisor;
        // a mantissa long enough for a small divisor is not shifted, and its quotient is longer.
        let shift = max(0, 53 + divisorBits - (mantissaBits - 1))
        let (quotient, remainder) = (UInt128(mantissa) << shift).quotientAndRemainder(dividingBy: divisor)
        return rounded(quotient, inexactBelow: remainder != 0, timesTwoTo: -shift)
    }

    /// `mantissa` × 10^k correctly rounded, for mantissa < 2^64 and 0 ≤ k ≤ 19 (the product
    /// stays below 2^128).
    private static func product(_ mantissa: UInt64, tenTo k: Int) -> Double {
        rounded(UInt128(mantissa) * exactPowersOfTen[k], inexactBelow: false, timesTwoTo: 0)
    }

    /// `value` × 2^`exponent` to 53 bits, the nearest, ties to even; `inexactBelow` says that the
    /// exact number is a little more than `value` (a remainder was left). Exact for a `value`
    /// of 53 bits or fewer; the result must be a normal Double, as every number these paths take is.
    private static func rounded(_ value: UInt128, inexactBelow: Bool, timesTwoTo exponent: Int) -> Double {
        let extraBits = max(0, UInt128.bitWidth - value.leadingZeroBitCount - 53)
        guard extraBits > 0 else { return Double(sign: .plus, exponent: exponent, significand: Double(UInt64(value))) }
        var kept = UInt64(value >> extraBits)
        let dropped = value & ((1 << extraBits) - 1), half = UInt128(1) << (extraBits - 1)
        if dropped > half || (dropped == half && (inexactBelow || kept & 1 == 1)) { kept += 1 }
        // A carry to 2^53 is still exact as a Double.
        return Double(sign: .plus, exponent: exponent + extraBits, significand: Double(kept))
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
