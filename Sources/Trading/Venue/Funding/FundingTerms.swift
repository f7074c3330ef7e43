/// Funding of a perpetual symbol: every `intervalSeconds` of venue time each margin account
/// holding a position pays or receives `rateBps` of its notional at the mark. With a positive
/// rate longs pay and shorts receive; the counterparty is the venue.
public struct FundingTerms: Sendable, Hashable, Codable {
    /// Seconds between payments; payments fall on whole multiples of it since the Unix epoch.
    public var intervalSeconds: Int64
    /// The rate per interval in basis points of notional, signed, a whole number of 0.0001 bps.
    public var rateBps: Double

    /// Creates terms; `SymbolRules.validated` checks them.
    public init(intervalSeconds: Int64, rateBps: Double) {
        self.intervalSeconds = intervalSeconds
        self.rateBps = rateBps
    }

    /// The rate in units of 0.0001 bps (10⁻⁸ of notional); nil when it is not a whole number
    /// of them or not within ±10 000 bps.
    var rateUnits: Int64? {
        let units = (rateBps * 10_000).rounded()
        guard rateBps.isFinite, abs(rateBps) < 10_000, abs(units - rateBps * 10_000) <= 1e-6 else { return nil }
        return Int64(units)
    }

    /// The interval in microseconds, the venue clock's unit.
    var intervalMicros: Int64 { intervalSeconds * 1_000_000 }

    /// Checks the terms of `symbol`.
    func validate(symbol: String) throws(TradingError) {
        // A year at most keeps every boundary in range of a microsecond clock.
        guard (1...31_622_400).contains(intervalSeconds) else {
            throw TradingError(.invalidConfig, "\(symbol) funding interval_s must be 1…31622400 (a year), got \(intervalSeconds)")
        }
        guard rateUnits != nil else {
            throw TradingError(.invalidConfig, "\(symbol) funding rate_bps must be within ±10000 and a whole number of 0.0001 bps, got \(rateBps)")
        }
    }

    /// What an account holding `base` at `mark` is credited (negative: debited): −base × mark ×
    /// rate, the notional rounded to the nearest 10⁻⁸ (halves away from zero) as for every fill,
    /// the product with the rate then rounded towards −∞ to a whole `step` (the symbol's quote
    /// step). So the venue never pays out a fraction it does not owe: a payer pays the amount
    /// rounded up, a receiver gets it rounded down.
    func credit(base: Quantity, mark: Price, step: Money) throws(FixedPointError) -> Money {
        guard let units = rateUnits else { throw FixedPointError.overflow(MoneyKind.noun) }
        let notional = try mark.notional(base)
        let exact = try notional.scaled(by: -units, over: 100_000_000, .down)
        _ = try exact.subtracting(step) // rounding down moves less than one step; it must fit
        return exact.roundedDown(toMultipleOf: step)
    }
}
