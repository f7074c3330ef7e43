import DecimalText

/// Fixed-point renderings of numbers for human-readable messages.
///
/// Written by hand because `String(format:)` would pull in Foundation for nothing
/// more than "%.2f".
public enum NumberText {
    /// `value` with exactly `decimals` digits after the point, rounded half away from zero.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard let (units, places) = units(value, decimals) else { return "\(value)" }
        return DecimalUnits.render(units, decimals: places, minimumFraction: places)
    }

    /// The characters of `fixed(value, decimals)` appended to `bytes`, with no string made.
    static func write(_ value: Double, _ decimals: Int, into bytes: inout [UInt8]) {
        guard let (units, places) = units(value, decimals) else { return bytes.append(contentsOf: "\(value)".utf8) }
        DecimalUnits.write(units, decimals: places, minimumFraction: places, into: &bytes)
    }

    /// `value` in units of 10^-places, rounded half away from zero, with `places` (`decimals`
    /// within 0...12); nil where the plain description is the rendering: not finite, or too
    /// large for every digit to be exact. The digits are then written as decimal text is
    /// (`DecimalUnits`), into one buffer on the stack: the parts made as strings and joined
    /// took about two and a half times the instructions, on every verdict and every new reading.
    private static func units(_ value: Double, _ decimals: Int) -> (units: Int64, places: Int)? {
        guard value.isFinite else { return nil }
        let places = max(0, min(decimals, 12))
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        // Beyond 2^53 a Double no longer holds every integer, and Int64 would overflow
        // soon after; the plain description is the honest rendering there.
        guard scaled < 9.0e15 else { return nil }
        // A value that rounds to zero is written without a sign.
        return (value < 0 ? -Int64(scaled) : Int64(scaled), places)
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
