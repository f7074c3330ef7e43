/// Writes whole numbers and fixed-point decimals as ASCII digits, two digits per step from a
/// table of pairs, for `JSONWriter`'s integers and `WireDecimal`s.
enum DecimalDigits {
    /// "00" through "99", two bytes each.
    private static let pairs: StaticString = """
        0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
        5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
        """

    /// Writes `-` when `negative`, the digits of `whole`, then, when `fractionWidth` is above
    /// zero, `.` and `fraction` as exactly `fractionWidth` digits (leading zeros kept); returns
    /// the number of bytes written (at most 30). `target` needs `PlainText.slack` bytes of room
    /// after them.
    @inline(__always)
    static func write(_ whole: UInt64, negative: Bool, fraction: UInt64, fractionWidth: Int,
                      to target: UnsafeMutablePointer<UInt8>) -> Int {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            let base = buffer.baseAddress!
            var start = buffer.count
            if fractionWidth > 0 {
                var rest = fraction
                var width = fractionWidth
                while width >= 2 {
                    start -= 2
                    putPair(Int(rest % 100), at: base + start)
                    rest /= 100
                    width -= 2
                }
                if width == 1 {
                    start -= 1
                    base[start] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                }
                start -= 1
                base[start] = UInt8(ascii: ".")
            }
            var rest = whole
            while rest >= 100 {
                start -= 2
                putPair(Int(rest % 100), at: base + start)
                rest /= 100
            }
            if rest >= 10 {
                start -= 2
                putPair(Int(rest), at: base + start)
            } else {
                start -= 1
                base[start] = UInt8(ascii: "0") &+ UInt8(rest)
            }
            if negative {
                start -= 1
                base[start] = UInt8(ascii: "-")
            }
            let length = buffer.count - start
            PlainText.copy(UnsafeBufferPointer(start: base + start, count: length), to: target)
            return length
        }
    }

    @inline(__always)
    private static func putPair(_ value: Int, at target: UnsafeMutablePointer<UInt8>) {
        let pair = pairs.utf8Start + 2 * value
        target[0] = pair[0]
        target[1] = pair[1]
    }
}
