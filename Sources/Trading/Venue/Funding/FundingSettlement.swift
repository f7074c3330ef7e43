/// What one `SimulatedVenue.settleFunding(at:)` call did: the payments, and for each symbol
/// whose funding clock moved the funding time it now stands at, so a store can keep the clock
/// and a restarted venue neither pays a funding time twice nor skips one.
public struct FundingSettlement: Sendable, Hashable {
    /// Payments, symbol by symbol in listing order, each symbol's funding times oldest first.
    public var payments: [FundingPayment] = []
    /// Per symbol whose clock moved: the latest funding time now settled (paid, or passed
    /// with no position to pay on, or the clock's start).
    public var clock: [String: Int64] = [:]
    /// Per symbol: funding times that passed unpaid because more than
    /// `SimulatedVenue.fundingCatchUpLimit` had passed since the last settlement (the oldest).
    public var skipped: [String: Int] = [:]

    /// Creates an empty settlement.
    public init() {}

    /// True when nothing was paid and no clock moved: nothing to store.
    public var isEmpty: Bool { payments.isEmpty && clock.isEmpty }
}
