/// What a fixed-point value measures; only tells `Price`, `Quantity` and `Money` apart so
/// the compiler refuses to add a price to a quantity.
public protocol FixedPointKind: Sendable {
    /// Word used in error messages, e.g. "quantity".
    static var noun: String { get }
}

/// Marks prices: quote currency per unit of base.
public enum PriceKind: FixedPointKind { public static let noun = "price" }
/// Marks quantities: units of base.
public enum QuantityKind: FixedPointKind { public static let noun = "quantity" }
/// Marks amounts of quote currency: balances, notionals, fees, PnL.
public enum MoneyKind: FixedPointKind { public static let noun = "amount" }

/// Quote currency per unit of base, exact to 10⁻⁸.
public typealias Price = FixedPoint<PriceKind>
/// Units of base, exact to 10⁻⁸.
public typealias Quantity = FixedPoint<QuantityKind>
/// Quote currency, exact to 10⁻⁸.
public typealias Money = FixedPoint<MoneyKind>

/// An exact decimal: a whole number of units of 10⁻⁸ (`raw`), as NautilusTrader keeps
/// prices and quantities (one fixed scale for every value; each symbol's coarser grid —
/// tick, lot, quote precision — is a rule on top, checked by the venue).
///
/// Sums and differences of values of one kind are exact. The plain operators trap on
/// overflow like `Int64` does and are for values already known to be in range (the venue
/// bounds what it accepts); everything fed from the network goes through the throwing
/// `adding`/`subtracting`/`times` forms, which report overflow as `FixedPointError`.
/// The range is ±92,233,720,368.54775807.
public struct FixedPoint<Kind: FixedPointKind>: Sendable, Hashable, Comparable {
    /// Decimal places every value carries.
    public static var decimals: Int { 8 }
    /// Units per whole: 10⁸.
    public static var scale: Int64 { 100_000_000 }

    /// The value in units of 10⁻⁸.
    public var raw: Int64

    /// The value `raw` × 10⁻⁸.
    @inlinable
    public init(raw: Int64) { self.raw = raw }

    /// Zero.
    public static var zero: Self { Self(raw: 0) }

    /// `whole` units exactly, e.g. `Quantity(units: 2)` is 2 base units.
    public init(units whole: Int64) throws(FixedPointError) {
        let (product, overflow) = whole.multipliedReportingOverflow(by: Self.scale)
        guard !overflow else { throw FixedPointError.outOfRange(Kind.noun, "\(whole)") }
        raw = product
    }

    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.raw < rhs.raw }

    /// True for a value above zero.
    @inlinable public var isPositive: Bool { raw > 0 }
    /// True for zero.
    @inlinable public var isZero: Bool { raw == 0 }
    /// True for a value below zero.
    @inlinable public var isNegative: Bool { raw < 0 }

    /// The magnitude; traps only for the one value with no positive counterpart, which
    /// parsing never produces.
    @inlinable public var magnitude: Self { Self(raw: raw < 0 ? -raw : raw) }

    @inlinable public static func + (lhs: Self, rhs: Self) -> Self { Self(raw: lhs.raw + rhs.raw) }
    @inlinable public static func - (lhs: Self, rhs: Self) -> Self { Self(raw: lhs.raw - rhs.raw) }
    @inlinable public static prefix func - (value: Self) -> Self { Self(raw: -value.raw) }
    @inlinable public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
    @inlinable public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }

    /// `self + other`, or `FixedPointError.overflow` past the range.
    @inlinable
    public func adding(_ other: Self) throws(FixedPointError) -> Self {
        let (sum, overflow) = raw.addingReportingOverflow(other.raw)
        guard !overflow else { throw FixedPointError.overflow(Kind.noun) }
        return Self(raw: sum)
    }

    /// `self − other`, or `FixedPointError.overflow` past the range.
    @inlinable
    public func subtracting(_ other: Self) throws(FixedPointError) -> Self {
        let (difference, overflow) = raw.subtractingReportingOverflow(other.raw)
        guard !overflow else { throw FixedPointError.overflow(Kind.noun) }
        return Self(raw: difference)
    }

    /// `self × count` exactly, or `FixedPointError.overflow`.
    public func times(_ count: Int64) throws(FixedPointError) -> Self {
        let (product, overflow) = raw.multipliedReportingOverflow(by: count)
        guard !overflow else { throw FixedPointError.overflow(Kind.noun) }
        return Self(raw: product)
    }

    /// How many whole `step`s fit in `self` and what is left over; `step` must be positive.
    public func wholeSteps(of step: Self) -> (count: Int64, remainder: Self) {
        let (count, remainder) = raw.quotientAndRemainder(dividingBy: step.raw)
        return (count, Self(raw: remainder))
    }

    /// True when `self` is a whole number of `step`s; `step` must be positive.
    @inlinable
    public func isMultiple(of step: Self) -> Bool { raw % step.raw == 0 }

    /// The largest whole number of `step`s not above `self` (towards −∞); `step` positive.
    public func roundedDown(toMultipleOf step: Self) -> Self {
        var count = raw / step.raw
        if raw % step.raw != 0, raw < 0 { count -= 1 }
        return Self(raw: count * step.raw)
    }

    /// The smallest whole number of `step`s not below `self` (towards +∞); `step` positive.
    public func roundedUp(toMultipleOf step: Self) -> Self {
        var count = raw / step.raw
        if raw % step.raw != 0, raw > 0 { count += 1 }
        return Self(raw: count * step.raw)
    }

    /// The nearest whole number of `step`s, halves away from zero; `step` positive.
    public func roundedToNearest(multipleOf step: Self) -> Self {
        let down = roundedDown(toMultipleOf: step)
        let gap = raw - down.raw
        return gap * 2 >= step.raw ? Self(raw: down.raw + step.raw) : down
    }
}

/// Why a fixed-point value could not be made: bad text, too many decimals, a number out of
/// range, or an overflow in arithmetic. The message names the value.
public struct FixedPointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, with the value.
    public var message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }

    @usableFromInline
    static func outOfRange(_ noun: String, _ text: String) -> Self {
        Self("\(noun) \(text) is outside ±92233720368.54775807")
    }

    @usableFromInline
    static func overflow(_ noun: String) -> Self {
        Self("\(noun) arithmetic overflowed ±92233720368.54775807")
    }
}
