import DecimalText

// Exact decimal text: parsing a JSON-style number and writing the shortest exact decimal.
extension FixedPoint: CustomStringConvertible, LosslessStringConvertible {
    /// Parses decimal text exactly: an optional "-", digits, an optional fraction and an
    /// optional exponent ("0.23364996", "60000", "1.5e-3"). Nil for anything else, for more
    /// than 8 decimals and for values out of range; `parse` says which.
    public init?(_ text: String) {
        guard let value = try? Self.parse(text) else { return nil }
        self = value
    }

    /// Parses `text` exactly, or names what is wrong with it.
    public static func parse(_ text: String) throws(FixedPointError) -> Self {
        var copy = text
        let result: Result<Self, FixedPointError> = copy.withUTF8 { bytes in
            Result { () throws(FixedPointError) -> Self in try parse(bytes, text: text) }
        }
        return try result.get()
    }

    /// Parses the ASCII bytes of a JSON number exactly.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(FixedPointError) -> Self {
        try parse(bytes, text: nil)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, text: String?) throws(FixedPointError) -> Self {
        guard let raw = DecimalUnits.parse(bytes, decimals: decimals) else {
            let shown = text ?? String(decoding: bytes, as: UTF8.self)
            throw FixedPointError(DecimalUnits.explain(bytes, decimals: decimals, noun: Kind.noun, shown: shown))
        }
        return Self(raw: raw)
    }

    /// The shortest exact decimal: "0.23364996", "60000.01", "5", "-0.5".
    public var description: String { DecimalUnits.render(raw, decimals: Self.decimals) }

    /// Exactly `places` decimals (0…8), rounding half away from zero when `places` < 8,
    /// e.g. a balance shown to the cent.
    public func text(places: Int) -> String {
        let places = max(0, min(places, Self.decimals))
        // Rounded to a multiple of 10^-places, its shortest rendering with at least `places`
        // fraction digits has exactly that many.
        return DecimalUnits.render(rounded(places: places), decimals: Self.decimals, minimumFraction: places)
    }

    /// The raw units rounded half away from zero to `places` (0…8) decimals.
    func rounded(places: Int) -> Int64 {
        var step: Int64 = 1
        for _ in 0..<(Self.decimals - places) { step *= 10 }
        return roundedToNearest(multipleOf: Self(raw: step)).raw
    }
}
