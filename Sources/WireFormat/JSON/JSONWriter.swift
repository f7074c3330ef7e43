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
    /// integers directly.
    static func appendDouble(_ value: Double, to out: ByteBuffer) {
        if value.magnitude < 9_007_199_254_740_992, value.rounded(.towardZero) == value {
            if value == 0, value.sign == .minus { out.append(UInt8(ascii: "-")) }
            appendInteger(Int64(value), to: out)
            return
        }
        appendDescription(value.description, to: out)
    }

    /// A finite Float as Foundation writes it.
    static func appendFloat(_ value: Float, to out: ByteBuffer) {
        appendDescription(value.description, to: out)
    }

    private static func appendDescription(_ description: String, to out: ByteBuffer) {
        let start = out.count
        out.append(description)
        if out.count - start >= 2, out[out.count - 2] == UInt8(ascii: "."), out[out.count - 1] == UInt8(ascii: "0") {
            out.removeLast(2)
        }
    }
}
