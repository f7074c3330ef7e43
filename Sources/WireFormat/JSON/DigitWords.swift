/// Runs of ASCII digits read eight bytes at a time: a word loaded little-endian (the first byte
/// lowest) is checked for digits and converted to its value in a handful of multiplications,
/// where a loop over its bytes takes a compare, a multiply and an add per digit. The readers of
/// plain numbers (`JSONValueReader.plainDecimalUnits`, `plainInteger`) read every plain number
/// this way (`reading`: near the end of the input, from a copy padded with zero bytes).
enum DigitWords {
    /// The eight bytes at `at` as one little-endian word.
    @inline(__always)
    static func load(_ at: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(at).loadUnaligned(as: UInt64.self))
    }

    /// How many of `word`'s bytes, from the first, are ASCII digits (0 through 8).
    @inline(__always)
    static func leadingDigits(_ word: UInt64) -> Int {
        // A byte is a digit when its high nibble is 3 both as it is and with 6 added; a carry
        // out of a byte (one of 0xFA and above, no digit) only reaches the bytes after it.
        let nibbles = (word & 0xF0F0_F0F0_F0F0_F0F0) | (((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)
        let other = nibbles ^ 0x3333_3333_3333_3333
        return other == 0 ? 8 : other.trailingZeroBitCount >> 3
    }

    /// The value of `word`'s first `count` bytes (1 through 8), which must be digits, the first
    /// the most significant.
    @inline(__always)
    static func value(_ word: UInt64, digits count: Int) -> UInt64 {
        // The digits moved to the top of the word, zeros below them. Bytes past the digits may
        // borrow when the zeros are taken off, but only into the bytes after them, which the
        // shift drops.
        combined((word &- 0x3030_3030_3030_3030) &<< UInt64(truncatingIfNeeded: 64 &- 8 &* count))
    }

    /// The value of `word`'s first `count` bytes (1 through 8, digits) followed by zeros to
    /// eight digits: a fraction's digits in units of 10⁻⁸.
    @inline(__always)
    static func leftAligned(_ word: UInt64, digits count: Int) -> UInt64 {
        let kept: UInt64 = count == 8 ? .max : (1 &<< UInt64(truncatingIfNeeded: 8 &* count)) &- 1
        return combined((word &- 0x3030_3030_3030_3030) & kept)
    }

    /// Eight digit values, one per byte, the first byte the most significant, as one number:
    /// pairs, then quadruples, then the two halves.
    @inline(__always)
    private static func combined(_ digits: UInt64) -> UInt64 {
        var value = ((digits & 0x0F0F_0F0F_0F0F_0F0F) &* 2_561) >> 8
        value = ((value & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        return ((value & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    }

    /// 10 to the power `exponent` (0 through 8).
    @inline(__always)
    static func power(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        default: 100_000_000
        }
    }

    /// How many bytes from the number's first digit `decimalUnits` and `integer` may read.
    static let readable = 24

    /// `read` (`decimalUnits` or `integer`) of the number at `start`, where `available` bytes
    /// of input begin: in place when they hold every word it may load, else on a copy of them
    /// padded with zero bytes (no digit, point or exponent, so the number ends where the input
    /// does).
    @inline(__always)
    static func reading<Value>(_ start: UnsafePointer<UInt8>, available: Int,
                               _ read: (UnsafePointer<UInt8>) -> (Value, length: Int)?) -> (Value, length: Int)? {
        if available >= readable { return read(start) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: readable) { padded in
            padded.initialize(repeating: 0)
            _ = UnsafeMutableBufferPointer(rebasing: padded[..<max(0, available)])
                .initialize(from: UnsafeBufferPointer(start: start, count: max(0, available)))
            return read(UnsafePointer(padded.baseAddress!))
        }
    }

    /// The run of digits at `start`, word by word: its value and length; nil when there is no
    /// digit or more than `limit` (at most 18, so the value cannot overflow). Reads at most the
    /// words that hold `limit` digits and the byte after them.
    @inline(__always)
    private static func digitRun(_ start: UnsafePointer<UInt8>, limit: Int) -> (value: UInt64, length: Int)? {
        // Most runs end within the first word.
        let head = load(start)
        let first = leadingDigits(head)
        if first < 8 { return first > 0 ? (value(head, digits: first), first) : nil }
        var result = value(head, digits: 8)
        var length = 8
        while true {
            let word = load(start + length)
            let count = leadingDigits(word)
            guard length + count <= limit else { return nil }
            if count > 0 { result = result &* power(count) &+ value(word, digits: count) }
            length += count
            if count < 8 { break }
        }
        return (result, length)
    }

    /// The plain decimal at `start`, after any minus sign: one to ten integer digits without a
    /// leading zero (but "0" itself), then optionally `.` and one to eight digits, followed by
    /// anything but a digit, a point or an exponent; its value in units of 10⁻⁸ and the bytes
    /// it takes. Nil for any other text. At least `readable` bytes must be readable from
    /// `start`.
    @inline(__always)
    static func decimalUnits(_ start: UnsafePointer<UInt8>) -> (Int64, length: Int)? {
        guard let (whole, integerDigits) = digitRun(start, limit: 10),
              integerDigits == 1 || start[0] != UInt8(ascii: "0") else { return nil }
        var length = integerDigits
        var fraction: UInt64 = 0
        if start[length] == UInt8(ascii: ".") {
            let word = load(start + length + 1)
            let fractionDigits = leadingDigits(word)
            guard fractionDigits > 0 else { return nil }
            if fractionDigits == 8, start[length + 9] &- UInt8(ascii: "0") < 10 { return nil }
            fraction = leftAligned(word, digits: fractionDigits)
            length += 1 + fractionDigits
        }
        let after = start[length]
        guard after != UInt8(ascii: "."), after | 0x20 != UInt8(ascii: "e") else { return nil }
        return (Int64(whole &* 100_000_000 &+ fraction), length)
    }

    /// The plain integer at `start`, after any minus sign: one to eighteen digits without a
    /// leading zero (but "0" itself), followed by anything but a digit, a point or an exponent;
    /// its value and the bytes it takes. Nil for any other text. At least `readable` bytes must
    /// be readable from `start`.
    @inline(__always)
    static func integer(_ start: UnsafePointer<UInt8>) -> (Int64, length: Int)? {
        guard let (result, digits) = digitRun(start, limit: 18), digits == 1 || start[0] != UInt8(ascii: "0") else { return nil }
        let after = start[digits]
        guard after != UInt8(ascii: "."), after | 0x20 != UInt8(ascii: "e") else { return nil }
        return (Int64(result), digits)
    }
}
