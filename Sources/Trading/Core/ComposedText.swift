import DecimalText

/// Text for people (a plan's summary, an analyst's thesis) written as UTF-8 bytes into one
/// buffer and made a `String` once, at the end.
///
/// `String`'s own interpolation and `+=` append each part through the string's general path,
/// about 360 instructions a part on a summary of thirty parts; here a literal part is a copy of
/// its bytes and a number's digits are written where they land. The type is its own
/// interpolation, so a text can be one interpolated literal or be grown a part at a time
/// (`appendLiteral`, `appendInterpolation`).
public struct ComposedText: ExpressibleByStringInterpolation, StringInterpolationProtocol, TextOutputStream {
    private(set) var bytes: [UInt8] = []

    /// An empty text with room for an interpolated literal of that shape: its literal parts and
    /// `interpolationBytes` a part. A text that outgrows it is copied to a buffer twice the
    /// size, and a log line's parts (names, ids, a decision's reason) run longer than numbers.
    public init(literalCapacity: Int, interpolationCount: Int) {
        bytes.reserveCapacity(literalCapacity + Self.interpolationBytes * interpolationCount)
    }

    /// The room an interpolated literal reserves for each of its interpolated parts (a constant:
    /// a stored `static let` would pass its once-only initialisation check on every text).
    static var interpolationBytes: Int { 32 }

    /// The literal's text.
    public init(stringLiteral value: StaticString) { appendLiteral(value) }

    /// The text an interpolated literal composed.
    public init(stringInterpolation: ComposedText) { self = stringInterpolation }

    /// The text.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Calls `body` with the text's UTF-8 bytes, read in place.
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBufferPointer(body)
    }

    /// Appends `other`'s text.
    public mutating func append(_ other: ComposedText) { bytes.append(contentsOf: other.bytes) }

    /// A literal part: its bytes, which the compiler laid out, copied as they are.
    public mutating func appendLiteral(_ literal: StaticString) { literal.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    /// A string's bytes, as they are.
    public mutating func appendInterpolation(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Another composed text, as it is.
    public mutating func appendInterpolation(_ text: ComposedText) { bytes.append(contentsOf: text.bytes) }

    /// A fixed-point value's shortest exact decimal, as its `description` reads.
    public mutating func appendInterpolation<Kind>(_ value: FixedPoint<Kind>) {
        DecimalUnits.write(value.raw, decimals: FixedPoint<Kind>.decimals, into: &bytes)
    }

    /// A fixed-point value with exactly `places` decimals, as `text(places:)` reads.
    public mutating func appendInterpolation<Kind>(_ value: FixedPoint<Kind>, places: Int) {
        let places = max(0, min(places, FixedPoint<Kind>.decimals))
        DecimalUnits.write(value.rounded(places: places), decimals: FixedPoint<Kind>.decimals, minimumFraction: places, into: &bytes)
    }

    /// A number's shortest round-trip text, as its `description` reads: a finite number is
    /// written by itself into the bytes (`write(to:)`), with no `String` made for it. Not a NaN,
    /// which `write(to:)` writes with its payload (`nan(0x…)`) where `description` says `nan`.
    public mutating func appendInterpolation(_ value: Double) {
        guard value.isFinite else { return bytes.append(contentsOf: value.description.utf8) }
        value.write(to: &self)
    }

    /// A string's bytes (`TextOutputStream`).
    public mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

    /// ASCII text a value writes of itself, such as a number's digits (`TextOutputStream`).
    public mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }

    /// A value's description, for values without a rendering of their own here.
    public mutating func appendInterpolation(_ value: some CustomStringConvertible) { bytes.append(contentsOf: value.description.utf8) }

    /// A whole number's decimal digits.
    public mutating func appendInterpolation(_ value: Int) { DecimalUnits.write(Int64(value), decimals: 0, into: &bytes) }

    /// `NumberText.fixed(value, decimals)`.
    public mutating func appendInterpolation(fixed value: Double, _ decimals: Int) { NumberText.write(value, decimals, into: &bytes) }

    /// `NumberText.price(value)`.
    public mutating func appendInterpolation(price value: Double) { NumberText.write(value, NumberText.priceDecimals(value), into: &bytes) }

    /// `NumberText.percent(fraction)`.
    public mutating func appendInterpolation(percent fraction: Double) {
        NumberText.write(fraction * 100, 2, into: &bytes)
        bytes.append(UInt8(ascii: "%"))
    }
}
