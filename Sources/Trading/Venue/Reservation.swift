/// Funds promised to resting orders of one account in one symbol.
struct Reservation: Sendable, Hashable {
    /// Quote held back for resting buys.
    private(set) var quote: Double = 0
    /// Base held back for resting sells: also their unfilled quantity.
    private(set) var base: Double = 0
    /// Unfilled quantity of resting buys, in base units: the pending buy exposure.
    private(set) var buyQty: Double = 0
    private var restingBuys = 0
    private var restingSells = 0

    mutating func reserve(quote amount: Double, qty: Double) {
        quote += amount
        buyQty += qty
        restingBuys += 1
    }

    mutating func reserve(base amount: Double) {
        base += amount
        restingSells += 1
    }

    /// A resting buy filled in part: what that part cost leaves the reservation while the
    /// order stays counted as resting.
    mutating func consume(quote amount: Double, qty: Double) {
        quote -= amount
        buyQty -= qty
    }

    /// A resting sell filled in part.
    mutating func consume(base amount: Double) {
        base -= amount
    }

    // Adding and subtracting the same amounts need not return exactly to zero in
    // floating point; once nothing rests the reservation is zero by definition, which
    // stops residue from slowly locking up an account.
    mutating func release(quote amount: Double, qty: Double) {
        restingBuys -= 1
        quote = restingBuys == 0 ? 0 : quote - amount
        buyQty = restingBuys == 0 ? 0 : buyQty - qty
    }

    mutating func release(base amount: Double) {
        restingSells -= 1
        base = restingSells == 0 ? 0 : base - amount
    }
}
