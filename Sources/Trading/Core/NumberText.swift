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
        let sign = value < 0 && units != 0 ? "-" : ""
        let whole = String(units / scale)
        guard places > 0 else { return sign + whole }
        let fraction = String(units % scale)
        let padding = String(repeating: "0", count: places - fraction.count)
        return sign + whole + "." + padding + fraction
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
