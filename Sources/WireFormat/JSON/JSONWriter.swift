/// Writes JSON text exactly as Foundation's `JSONEncoder` with `.withoutEscapingSlashes` does.
enum JSONWriter {
    private static let hexDigits: StaticString = "0123456789abcdef"

    /// `"…"` with `"` and `\` escaped, and control characters as `\b \f \n \r \t` or `\u00xx`.
    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: ByteBuffer) {
        if out.appendPlainQuoted(bytes) { return }
        out.append(UInt8(ascii: "\""))
        for byte in bytes { appendEscaped(byte, to: out) }
        out.append(UInt8(ascii: "\""))
    }

    /// A string, quoted and escaped.
    static func appendQuoted(_ string: String, to out: ByteBuffer) {
        var string = string
        string.withUTF8 { appendQuoted($0, to: out) }
    }

    private static func appendEscaped(_ byte: UInt8, to out: ByteBuffer) {
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): short = byte
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        case ..<0x20:
            hexDigits.withUTF8Buffer { digits in
                for unit in [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                             digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] {
                    out.append(unit)
                }
            }
            return
        default:
            out.append(byte)
            return
        }
        out.append(UInt8(ascii: "\\"))
        out.append(short)
    }

    /// An integer in decimal.
    static func appendInteger<T: BinaryInteger>(_ value: T, to out: ByteBuffer) {
        let negative = value < 0
        let magnitude = UInt64(value.magnitude)
        out.append(atMost: 21) { target in
            DecimalDigits.write(magnitude, negative: negative, fraction: 0, fractionWidth: 0, to: target)
        }
    }

    /// A finite Double as Foundation writes it: Swift's shortest round-trip `description`
    /// without a trailing `.0` (so `1.0` is `1`, `1e-08` and `1e+16` stay exponent forms).
    /// Integral values below 2^53, which `description` prints in full as `N.0`, are written as
    /// integers directly, and short decimals (`shortDecimal`) from their digits: the same text.
    static func appendDouble(_ value: Double, to out: ByteBuffer) {
        if value.magnitude < 9_007_199_254_740_992, value.rounded(.towardZero) == value {
            if value == 0, value.sign == .minus { out.append(UInt8(ascii: "-")) }
            appendInteger(Int64(value), to: out)
            return
        }
        if let (units, places) = shortDecimal(value) {
            let power = powersOfTen[places]
            out.append(atMost: 30) { target in
                DecimalDigits.write(units.magnitude / power, negative: units < 0, fraction: units.magnitude % power,
                                    fractionWidth: places, to: target)
            }
            return
        }
        appendDescription(of: value, to: out)
    }

    private static let powersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// `value`, not a whole number, as `units` × 10^-`places` with `places` in 1...8 as few as
    /// can be, when that decimal reads back as `value` and has at most 15 significant digits,
    /// for 10^-3 ≤ |value| < 10^9 (where `description` has no exponent); nil otherwise.
    ///
    /// It is then the text `description` writes: below 15 digits two decimals of one length
    /// are more than four units in the last place of a Double apart, so at most one of them
    /// reads back as `value`, and `value` × 10^places computed in floating point (an error
    /// of at most 0.11) rounds to it. The decimal is tried with the most places allowed:
    /// one with fewer places is the same decimal with zeros at the end, which come off.
    static func shortDecimal(_ value: Double) -> (units: Int64, places: Int)? {
        let magnitude = value.magnitude
        guard magnitude >= 0.001, magnitude < 1e9 else { return nil }
        // The most places that keep the digits below 10^15.
        var places = magnitude < 1e7 ? 8 : magnitude < 1e8 ? 7 : 6
        let scaled = (value * Double(powersOfTen[places])).rounded()
        guard scaled / Double(powersOfTen[places]) == value else { return nil }
        var units = Int64(scaled)
        while units % 10 == 0 {
            units /= 10
            places -= 1
        }
        return (units, places)
    }

    /// A finite Float as Foundation writes it.
    static func appendFloat(_ value: Float, to out: ByteBuffer) {
        appendDescription(of: value, to: out)
    }

    /// `value`'s `description` without its trailing `.0`, written by the number itself into the
    /// buffer (`ByteBuffer.TextStream`): the same text for a finite number (only finite ones
    /// are written) with no `String` made for it.
    private static func appendDescription(of value: some TextOutputStreamable, to out: ByteBuffer) {
        let start = out.count
        var stream = ByteBuffer.TextStream(out)
        value.write(to: &stream)
        if out.count - start >= 2, out[out.count - 2] == UInt8(ascii: "."), out[out.count - 1] == UInt8(ascii: "0") {
            out.removeLast(2)
        }
    }
}
