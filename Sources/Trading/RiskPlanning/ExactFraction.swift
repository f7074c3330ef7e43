/// A dimensionless parameter (a fraction of capital, a take-profit share, a risk-reward
/// multiple) as a whole number of 10⁻⁸, so limits on money are decided in integers.
///
/// The planner's parameters are written as decimals with at most 8 places (0.2, 0.015, 2.5);
/// `init?(_:)` takes the nearest 10⁻⁸ of the Double, which is that decimal exactly. From
/// there every product with money is one 128-bit multiplication and one rounding, and every
/// comparison "amount ≤ capital × fraction" is a cross-multiplication with no rounding at all:
/// an amount exactly at the limit is admitted and one 10⁻⁸ past it is not.
public struct ExactFraction: Sendable, Hashable, Comparable {
    /// The fraction in units of 10⁻⁸: 0.2 is 20,000,000.
    public let raw: Int64

    /// One, exactly.
    public static let one = ExactFraction(raw: 100_000_000)

    /// The fraction with `raw` units of 10⁻⁸.
    public init(raw: Int64) { self.raw = raw }

    /// `value` to the nearest 10⁻⁸; nil when it is negative, not finite or out of range.
    public init?(_ value: Double) {
        guard value.isFinite, value >= 0, let fixed = try? Money(rounding: value, .toNearestOrAwayFromZero) else { return nil }
        raw = fixed.raw
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.raw < rhs.raw }

    /// `amount` × this fraction, rounded once under `rule`; throws on overflow.
    public func of<Kind>(_ amount: FixedPoint<Kind>, _ rule: Rounding) throws(FixedPointError) -> FixedPoint<Kind> {
        try amount.scaled(by: raw, over: Money.scale, rule)
    }

    /// True when `part` ≤ `whole` × this fraction, decided exactly in 128 bits.
    public func admits<Kind>(_ part: FixedPoint<Kind>, of whole: FixedPoint<Kind>) -> Bool {
        Int128(part.raw) * Int128(Money.scale) <= Int128(whole.raw) * Int128(raw)
    }

    /// True when `part` > `whole` × this fraction, decided exactly: the negation of `admits`.
    public func isExceeded<Kind>(by part: FixedPoint<Kind>, of whole: FixedPoint<Kind>) -> Bool { !admits(part, of: whole) }
}

extension Money {
    /// How many units of base this amount buys at `price`: amount ÷ price rounded under
    /// `rule` to 10⁻⁸ (`.down` for a size, so the units never cost more than the amount);
    /// `price` must be positive. Throws when the quotient is out of range.
    public func units(at price: Price, _ rule: Rounding) throws(FixedPointError) -> Quantity {
        let quotient = FixedPointMath.divide(Int128(raw) * Int128(Quantity.scale), by: Int128(price.raw), rule)
        return Quantity(raw: try FixedPointMath.narrow(quotient, QuantityKind.noun))
    }

    /// This amount ÷ `divisor` (≥ 1, e.g. a leverage) rounded under `rule`.
    public func divided(by divisor: Int, _ rule: Rounding) -> Money {
        Money(raw: FixedPointMath.divide(raw, by: Int64(max(divisor, 1)), rule))
    }

    /// Σ `amounts`, or `FixedPointError.overflow` past the range.
    public static func sum(_ amounts: some Sequence<Money>) throws(FixedPointError) -> Money {
        var total = Money.zero
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    /// This amount as a fraction of `whole`, a statistic in floating point; nil when
    /// `whole` is not positive.
    public func fraction(of whole: Money) -> Double? {
        whole.isPositive ? Double(raw) / Double(whole.raw) : nil
    }
}
