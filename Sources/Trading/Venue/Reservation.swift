/// Funds promised to resting orders of one account in one symbol.
struct Reservation: Sendable, Hashable {
    /// Quote held back for resting buys.
    private(set) var quote: Money = 0
    /// Base held back for resting sells: also their unfilled quantity.
    private(set) var base: Quantity = 0
    /// Unfilled quantity of resting buys, in base units: the pending buy exposure.
    private(set) var buyQty: Quantity = 0

    mutating func reserve(quote amount: Money, qty: Quantity) {
        quote += amount
        buyQty += qty
    }

    mutating func reserve(base amount: Quantity) {
        base += amount
    }

    /// A resting buy filled in part: what that part cost leaves the reservation while the
    /// order stays counted as resting.
    mutating func consume(quote amount: Money, qty: Quantity) {
        quote -= amount
        buyQty -= qty
    }

    /// A resting sell filled in part.
    mutating func consume(base amount: Quantity) {
        base -= amount
    }

    mutating func release(quote amount: Money, qty: Quantity) {
        quote -= amount
        buyQty -= qty
    }

    mutating func release(base amount: Quantity) {
        base -= amount
    }
}
