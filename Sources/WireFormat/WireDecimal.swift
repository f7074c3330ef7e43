import DecimalText
import Foundation

/// A JSON number held exactly, as a whole number of 10⁻⁸ (`units`): how quantities, prices
/// and amounts travel. The codec reads it from the number's text, never through a Double,
/// and writes the shortest exact decimal ("0.23364996", "60000.01", "5"). A number with a
/// non-zero digit below 10⁻⁸ or beyond ±92,233,720,368.54775807 is refused with an error
/// naming the field and the value.
public struct WireDecimal: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// Decimal places every value carries.
    public static let decimals = 8

    /// The value in units of 10⁻⁸.
    public var units: Int64

    /// The value `units` × 10⁻⁸.
    @inlinable
    public init(units: Int64) { self.units = units }

    /// An integer literal, exact.
    public init(integerLiteral value: Int64) { units = value * 100_000_000 }

    /// A decimal literal in source code, rounded to the nearest 10⁻⁸ (exact for literals
    /// with at most 8 decimals below 10⁷). For constants and tests.
    public init(floatLiteral value: Double) { units = Int64((value * 100_000_000).rounded()) }

    /// Parses the text of a JSON number exactly; nil for anything `DecimalUnits.parse` refuses.
    public init?(_ text: String) {
        var copy = text
        guard let units = copy.withUTF8({ DecimalUnits.parse($0, decimals: Self.decimals) }) else { return nil }
        self.units = units
    }

    public static func < (lhs: WireDecimal, rhs: WireDecimal) -> Bool { lhs.units < rhs.units }

    /// The shortest exact decimal.
    public var description: String { DecimalUnits.render(units, decimals: Self.decimals) }

    /// The nearest Double, for display and statistics.
    public var double: Double { Double(units) / 100_000_000 }

    /// Through a Foundation coder (the wire codec never calls this): the value as a JSON
    /// number read from its `Decimal`, exactly.
    public init(from decoder: any Decoder) throws {
        let decimal = try decoder.singleValueContainer().decode(Decimal.self)
        guard let value = WireDecimal(decimal.description) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "number \(decimal) is not a whole number of 0.00000001 in range"))
        }
        self = value
    }

    /// Through a Foundation coder: the value as a `Decimal`, which it writes exactly.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Decimal(string: description) ?? 0)
    }
}

extension JSONWriter {
    /// `units` × 10⁻⁸ as the shortest exact decimal, without allocating.
    static func appendDecimal(_ units: Int64, to out: ByteBuffer) {
        let magnitude = units.magnitude
        var fraction = magnitude % 100_000_000
        var width = 8
        if fraction == 0 {
            width = 0
        } else {
            while fraction % 10 == 0 { fraction /= 10; width -= 1 }
        }
        out.append(atMost: 30) { target in
            DecimalDigits.write(magnitude / 100_000_000, negative: units < 0, fraction: fraction, fractionWidth: width, to: target)
        }
    }
}
