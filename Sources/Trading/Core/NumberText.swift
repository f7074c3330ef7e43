/// Fixed-point renderings of numbers for human-readable messages.
///
/// Written by hand because `String(format:)` would pull in Foundation for nothing
/// more than "%.2f".
public enum NumberText {
    /// `value` with exactly `decimals` digits after the point, rounded half away from zero.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        let places = max(0, min(decimals, 12))
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        // Beyond 2^53 a Double no longer holds every integer, and Int64 would overflow
        // soon after; the plain description is the honest rendering there.
        guard scaled < 9.0e15 else { return "\(value)" }
        let units = Int64(scaled)
        // Written backwards into one buffer and made a string once (the parts made as strings
        // and joined took about two and a half times the instructions, on every verdict and
        // every new reading): at most 16 digits, the point and the sign.
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
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }

    /// Quote-currency amounts and prices: two decimals.
    public static func money(_ value: Double) -> String { fixed(value, 2) }

    /// A fraction shown as a percentage with two decimals, e.g. 0.0019 → "0.19%".
    public static func percent(_ fraction: Double) -> String { fixed(fraction * 100, 2) + "%" }
}

extension NumberText {
    /// A price: two decimals, or eight below 1 so sub-unit prices keep their digits.
    public static func price(_ value: Double) -> String { fixed(value, abs(value) >= 1 ? 2 : 8) }
}
