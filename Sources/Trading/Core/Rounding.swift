/// How an exact product or quotient that falls between two units of 10⁻⁸ is rounded: the
/// cases of the standard library's `FloatingPointRoundingRule`, with the same meanings.
///
/// The standard library's rule is a resilient enum: every use of one passed as an argument
/// goes through its type metadata and value witnesses, about half of a notional's
/// instructions. This one is an ordinary enum of this module, so the money arithmetic
/// switches on it directly.
public enum Rounding: Sendable, Hashable {
    /// To the nearer unit; a tie goes to the even one.
    case toNearestOrEven
    /// To the nearer unit; a tie goes away from zero.
    case toNearestOrAwayFromZero
    /// Toward positive infinity.
    case up
    /// Toward negative infinity.
    case down
    /// Toward zero.
    case towardZero
    /// Away from zero.
    case awayFromZero

    /// `value` rounded to a whole number under this rule.
    @inlinable
    public func apply(to value: Double) -> Double {
        switch self {
        case .toNearestOrEven: value.rounded(.toNearestOrEven)
        case .toNearestOrAwayFromZero: value.rounded(.toNearestOrAwayFromZero)
        case .up: value.rounded(.up)
        case .down: value.rounded(.down)
        case .towardZero: value.rounded(.towardZero)
        case .awayFromZero: value.rounded(.awayFromZero)
        }
    }
}
