/// Fixed-point renderings of numbers for human-readable messages.
///
/// Written by hand because `String(format:)` would pull in Foundation for nothing
/// more than "%.2f".
public enum NumberText {
    /// `value` with exactly `decimals` digits after the point, rounded half away from zero.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        withDigits(value, decimals) { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }

    /// The characters of `fixed(value, decimals)` appended to `bytes`, with no string made.
    static func write(_ value: Double, _ decimals: Int, into bytes: inout [UInt8]) {
        if withDigits(value, decimals, { bytes.append(contentsOf: $0) }) == nil { bytes.append(contentsOf: "\(value)".utf8) }
    }

    /// Hands `body` the characters of `value` with `decimals` digits after the point; nil,
    /// without calling it, where the plain description is the rendering (not finite, or too
    /// large for every digit to be exact).
    private static func withDigits<T>(_ value: Double, _ decimals: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        guard value.isFinite else { return nil }
        let places = max(0, min(decimals, 12))
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        // Beyond 2^53 a Double no longer holds every integer, and Int64 would overflow
        // soon after; the plain description is the honest rendering there.
        guard scaled < 9.0e15 else { return nil }
        let units = Int64(scaled)
        // Written backwards into one buffer on the stack (the parts made as strings and joined
        // took about two and a half times the instructions, on every verdict and every new
        // reading): at most 16 digits, the point and the sign.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var rest = units, start = buffer.count
            for _ in 0..<places {
                start -= 1
                buffer[start] = 48 + UInt8(rest % 10)
                rest /= 10
            }
            if places > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: ".")
            }
            repeat {
                start -= 1
                buffer[start] = 48 + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            if value < 0 && units != 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Quote-currency amounts and prices: two decimals.
    public static func money(_ value: Double) -> String { fixed(value, 2) }

    /// A fraction shown as a percentage with two decimals, e.g. 0.0019 → "0.19%".
    public static func percent(_ fraction: Double) -> String { fixed(fraction * 100, 2) + "%" }
}

extension NumberText {
    /// A price: two decimals, or eight below 1 so sub-unit prices keep their digits.
    public static func price(_ value: Double) -> String { fixed(value, priceDecimals(value)) }

    /// The decimals a price is shown with.
    static func priceDecimals(_ value: Double) -> Int { abs(value) >= 1 ? 2 : 8 }
}
