// Literals, the Double boundary and products of two fixed-point values.
extension FixedPoint: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// An integer literal, exact: `let lot: Quantity = 1`.
    public init(integerLiteral value: Int64) {
        do { try self.init(units: value) } catch { preconditionFailure("literal \(value) out of range") }
    }

    /// A decimal literal in source code, rounded to the nearest 10⁻⁸ (exact for every literal
    /// written with at most 8 decimals below 10⁷). For constants and tests only: values from
    /// outside the program are parsed from their text with `parse`.
    public init(floatLiteral value: Double) {
        do { try self.init(rounding: value, .toNearestOrAwayFromZero) } catch { preconditionFailure("literal \(value) out of range") }
    }
}

extension FixedPoint {
    /// The Double nearest this value, for statistics and indicators (volatility, Sharpe,
    /// Avellaneda–Stoikov) that work in floating point.
    @inlinable
    public var double: Double { Double(raw) / 100_000_000 }

    /// The boundary from floating point back to exact values: `value` rounded to a whole
    /// number of 10⁻⁸ under `rule`. Throws for NaN, infinities and values out of range.
    public init(rounding value: Double, _ rule: Rounding) throws(FixedPointError) {
        let scaled = rule.apply(to: value * 100_000_000)
        // 2^63 is exactly representable; anything at or past it does not fit.
        guard scaled.isFinite, scaled > -9.223372036854775e18, scaled < 9.223372036854775e18 else {
            throw FixedPointError.outOfRange(Kind.noun, "\(value)")
        }
        raw = Int64(scaled)
    }

    /// `self × numerator ÷ denominator` rounded under `rule`, through a 128-bit product so
    /// nothing is lost before the one rounding; throws when the result is out of range.
    /// `denominator` must be positive.
    public func scaled(by numerator: Int64, over denominator: Int64, _ rule: Rounding) throws(FixedPointError) -> Self {
        guard let result = FixedPointMath.product(raw, numerator, over: denominator, rule) else {
            throw FixedPointError.overflow(Kind.noun)
        }
        return Self(raw: result)
    }
}

/// The integer arithmetic behind the products and quotients.
enum FixedPointMath {
    /// `a × b ÷ divisor` (divisor > 0) rounded under `rule`, or nil past the `Int64` range.
    /// When `a × b` fits 64 bits (every order of ordinary size) the division is done there;
    /// when it does not, `splitProduct` most often still can; otherwise it is done in 128
    /// bits. All three give the same result.
    @inline(__always)
    static func product(_ a: Int64, _ b: Int64, over divisor: Int64, _ rule: Rounding) -> Int64? {
        let (narrow, overflow) = a.multipliedReportingOverflow(by: b)
        if !overflow { return divide(narrow, by: divisor, rule) }
        if let split = splitProduct(a, b, over: divisor, rule) { return split }
        return Int64(exactly: divide(Int128(a) * Int128(b), by: Int128(divisor), rule))
    }

    /// `a × b ÷ divisor` in 64-bit steps, for a product past 64 bits whose quotient is not
    /// (a price of 50,000 times one whole unit is 5 × 10²⁰ units of 10⁻¹⁶): with
    /// `a = h × divisor + l`, the quotient is `h × b + (l × b) ÷ divisor` and the remainder
    /// that of `l × b`. Both parts carry the sign of `a × b`, so that is the quotient and
    /// remainder of the whole, truncated toward zero. Nil where a step would overflow, and at
    /// the ends of the range, where rounding could step past it: the caller then divides in
    /// 128 bits.
    @inline(__always)
    static func splitProduct(_ a: Int64, _ b: Int64, over divisor: Int64, _ rule: Rounding) -> Int64? {
        let (high, low) = a.quotientAndRemainder(dividingBy: divisor)
        let (wholePart, wholeOverflow) = high.multipliedReportingOverflow(by: b)
        let (lowProduct, lowOverflow) = low.multipliedReportingOverflow(by: b)
        guard !wholeOverflow, !lowOverflow else { return nil }
        let (lowQuotient, remainder) = lowProduct.quotientAndRemainder(dividingBy: divisor)
        let (quotient, sumOverflow) = wholePart.addingReportingOverflow(lowQuotient)
        guard !sumOverflow, quotient > .min, quotient < .max else { return nil }
        return rounded(quotient, remainder: remainder, negative: (a < 0) != (b < 0), divisor: divisor, rule)
    }

    /// `value ÷ divisor` (divisor > 0) rounded under `rule`, in 64 or 128 bits.
    @inline(__always)
    static func divide<Value: FixedWidthInteger & SignedInteger>(_ value: Value, by divisor: Value, _ rule: Rounding) -> Value {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return rounded(quotient, remainder: remainder, negative: value < 0, divisor: divisor, rule)
    }

    /// The truncated `quotient` of a division by `divisor` (> 0) that left `remainder`,
    /// rounded under `rule`; `negative` tells the dividend's sign (it matters only when
    /// `remainder` is not zero).
    @inline(__always)
    static func rounded<Value: FixedWidthInteger & SignedInteger>(_ quotient: Value, remainder: Value, negative: Bool,
                                                                  divisor: Value, _ rule: Rounding) -> Value {
        guard remainder != 0 else { return quotient }
        let awayFromZero = negative ? quotient - 1 : quotient + 1
        switch rule {
        case .towardZero: return quotient
        case .awayFromZero: return awayFromZero
        case .down: return negative ? awayFromZero : quotient
        case .up: return negative ? quotient : awayFromZero
        case .toNearestOrEven:
            let twice = remainder.magnitude * 2
            if twice == divisor.magnitude { return quotient % 2 == 0 ? quotient : awayFromZero }
            return twice > divisor.magnitude ? awayFromZero : quotient
        case .toNearestOrAwayFromZero:
            return remainder.magnitude * 2 >= divisor.magnitude ? awayFromZero : quotient
        }
    }

    /// `value` as `Int64`, or an overflow error naming `noun`.
    static func narrow(_ value: Int128, _ noun: String) throws(FixedPointError) -> Int64 {
        guard let narrow = Int64(exactly: value) else { throw FixedPointError.overflow(noun) }
        return narrow
    }
}

extension Price {
    /// price × qty in quote, exact to 10⁻¹⁶ and then rounded to 10⁻⁸ under `rule`; throws
    /// when the notional is out of range.
    public func notional(_ qty: Quantity, _ rule: Rounding = .toNearestOrAwayFromZero) throws(FixedPointError) -> Money {
        guard let notional = FixedPointMath.product(raw, qty.raw, over: Price.scale, rule) else {
            throw FixedPointError.overflow(MoneyKind.noun)
        }
        return Money(raw: notional)
    }
}

extension Money {
    /// amount ÷ qty as a price rounded under `rule`, e.g. an average fill price; qty > 0.
    public func perUnit(_ qty: Quantity, _ rule: Rounding = .toNearestOrAwayFromZero) throws(FixedPointError) -> Price {
        let numerator = Int128(raw) * Int128(Price.scale)
        return Price(raw: try FixedPointMath.narrow(FixedPointMath.divide(numerator, by: Int128(qty.raw), rule), PriceKind.noun))
    }
}

extension FixedPoint: Codable {
    /// Decodes a JSON number through Double, rounding to 10⁻⁸: exact for the values the
    /// JSON snapshots and files of this project hold (below 10⁷ with 8 decimals).
    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(Double.self)
        try self.init(rounding: value, .toNearestOrAwayFromZero)
    }

    /// Encodes as the nearest Double, which prints as the shortest exact decimal.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(double)
    }
}
