/// Decimal text ↔ integer units at a fixed number of decimals: the exact reading and writing
/// of JSON numbers that the trading values (`Trading.FixedPoint`) and the wire codec share.
public enum DecimalUnits {
    /// The value of a JSON-style number in units of 10^-`decimals`, or nil when the text is
    /// malformed, has a non-zero digit below 10^-`decimals`, or is out of `Int64` range.
    /// Allocation-free: the codec's fast path reads every quantity and price through it.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, decimals: Int) -> Int64? {
        if let units = parsePlain(bytes, decimals: decimals) { return units }
        let count = bytes.count
        var index = 0
        let negative = index < count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        var pointAt = -1
        var digitCount = 0
        while index < count {
            let byte = bytes[index]
            if byte &- 48 < 10 {
                digitCount += 1
            } else if byte == UInt8(ascii: "."), pointAt < 0 {
                pointAt = index
            } else { break }
            index += 1
        }
        let digitsEnd = index
        guard digitCount > 0 else { return nil }
        var exponent = 0
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-"); index += 1
            }
            let exponentStart = index
            while index < count, bytes[index] &- 48 < 10 {
                // Capped: any exponent past a few hundred is out of range or too fine either way.
                exponent = min(exponent * 10 + Int(bytes[index] &- 48), 100_000)
                index += 1
            }
            guard index > exponentStart else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == count else { return nil }
        let fractionDigits = pointAt < 0 ? 0 : digitsEnd - pointAt - 1
        // units = digits × 10^shift; a negative shift drops that many trailing digits, which must be 0.
        let shift = decimals + exponent - fractionDigits
        let kept = digitCount + min(shift, 0)
        var units: Int64 = 0
        var seen = 0
        for position in digitsStart..<digitsEnd where position != pointAt {
            let digit = Int64(bytes[position] &- 48)
            if seen < kept {
                let (times10, o1) = units.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(digit)
                guard !o1, !o2 else { return nil }
                units = next
            } else if digit != 0 {
                return nil
            }
            seen += 1
        }
        if shift > 0, units != 0 {
            for _ in 0..<shift {
                let (times10, overflow) = units.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                units = times10
            }
        }
        return negative ? -units : units
    }

    /// `parse` of the common case in one pass: digits with at most one point, no exponent, at
    /// most 18 digits (so they fit an `Int64` without checks) and at most `decimals` of them
    /// after the point. Nil for anything else, which `parse` then reads (or refuses) in full;
    /// where this answers, `parse`'s general reading gives the same value.
    private static func parsePlain(_ bytes: UnsafeBufferPointer<UInt8>, decimals: Int) -> Int64? {
        let count = bytes.count
        var index = 0
        let negative = count > 0 && bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        var digits: Int64 = 0
        var digitCount = 0
        var fractionDigits = -1 // -1 until the point
        while index < count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            if digit < 10 {
                digits = digits &* 10 &+ Int64(digit)
                digitCount += 1
                if fractionDigits >= 0 { fractionDigits += 1 }
            } else if bytes[index] == UInt8(ascii: "."), fractionDigits < 0 {
                fractionDigits = 0
            } else {
                return nil
            }
            index += 1
        }
        guard decimals >= 0, digitCount > 0, digitCount <= 18, fractionDigits <= decimals else { return nil }
        var units = digits
        if units != 0 {
            for _ in 0 ..< decimals - max(fractionDigits, 0) {
                let (times10, overflow) = units.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                units = times10
            }
        }
        return negative ? -units : units
    }

    /// Why `parse` refused `bytes`, as a sentence naming the value.
    public static func explain(_ bytes: UnsafeBufferPointer<UInt8>, decimals: Int, noun: String, shown: String) -> String {
        guard isWellFormed(bytes) else { return "\(noun) \"\(shown)\" is not a decimal number" }
        if tooFine(bytes, decimals: decimals) {
            return "\(noun) \(shown) has more than \(decimals) decimals, finer than the smallest step"
        }
        return "\(noun) \(shown) is out of range"
    }

    private static func isWellFormed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var copy = Array(bytes)
        // Replace every digit by 0: the text keeps its shape and always fits in range.
        for i in copy.indices where copy[i] >= 49 && copy[i] <= 57 { copy[i] = 48 }
        return copy.withUnsafeBufferPointer { parse($0, decimals: 0) } != nil
    }

    /// True when well-formed text has a non-zero digit below 10^-`decimals`.
    private static func tooFine(_ bytes: UnsafeBufferPointer<UInt8>, decimals: Int) -> Bool {
        var digits: [UInt8] = []
        var wholeDigits: Int?
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count, bytes[index] != UInt8(ascii: "e"), bytes[index] != UInt8(ascii: "E") {
            if bytes[index] == UInt8(ascii: ".") { wholeDigits = digits.count } else { digits.append(bytes[index] - 48) }
            index += 1
        }
        var exponent = 0
        if index < bytes.count {
            let tail = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)...]), as: UTF8.self)
            exponent = Int(tail.prefix(8)) ?? (tail.hasPrefix("-") ? Int.min / 2 : Int.max / 2)
        }
        guard let last = digits.lastIndex(where: { $0 != 0 }) else { return false }
        // Position of the last non-zero digit after the point (1 = tenths).
        let place = (last + 1) - (wholeDigits ?? digits.count) - exponent
        return place > decimals
    }

    /// `units` × 10^-`decimals` as the shortest exact decimal, with at least
    /// `minimumFraction` digits after the point. `decimals` is at most 18.
    public static func render(_ units: Int64, decimals: Int, minimumFraction: Int = 0) -> String {
        withCharacters(units, decimals: decimals, minimumFraction: minimumFraction) { String(decoding: $0, as: UTF8.self) }
    }

    /// The characters of `render(units, decimals:, minimumFraction:)` appended to `bytes`,
    /// with no string made.
    public static func write(_ units: Int64, decimals: Int, minimumFraction: Int = 0, into bytes: inout [UInt8]) {
        withCharacters(units, decimals: decimals, minimumFraction: minimumFraction) { bytes.append(contentsOf: $0) }
    }

    /// Hands `body` the characters of the rendering, written backwards into one buffer on the
    /// stack: at most a sign, 19 whole digits, the point and 18 fraction digits.
    private static func withCharacters<T>(_ units: Int64, decimals: Int, minimumFraction: Int,
                                          _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        precondition((0...18).contains(decimals), "decimals \(decimals) is outside 0...18")
        let magnitude = units.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        var whole = magnitude / divisor
        var fraction = magnitude % divisor
        var width = decimals
        while width > minimumFraction, fraction % 10 == 0 {
            fraction /= 10; width -= 1
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var start = buffer.count
            for _ in 0..<width {
                start -= 1
                buffer[start] = 48 + UInt8(fraction % 10)
                fraction /= 10
            }
            if width > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: ".")
            }
            repeat {
                start -= 1
                buffer[start] = 48 + UInt8(whole % 10)
                whole /= 10
            } while whole > 0
            if units < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }
}
