/// A quote as the venue trades on it: bid and ask as exact prices.
///
/// Market data comes from price models and files as `Double`; this is the one boundary
/// where it becomes exact. Each side is first rounded to the nearest 10⁻⁸ (which recovers
/// the decimal a Double was parsed from), then, with a tick size, the bid is rounded down
/// and the ask up to the grid, so the venue never quotes a price tighter than the market.
struct Touch: Sendable, Hashable {
    var bid: Price
    var ask: Price

    /// The exact touch of `quote`, nil when its bid or ask is not a positive finite
    /// price in range or its last is not finite, or the rounded bid is not positive.
    init?(_ quote: MarketQuote, tickSize: Price?) {
        guard quote.last.isFinite, quote.bid > 0, quote.ask > 0,
              var bid = try? Price(rounding: quote.bid, .toNearestOrAwayFromZero),
              var ask = try? Price(rounding: quote.ask, .toNearestOrAwayFromZero)
        else { return nil }
        if let tickSize {
            bid = bid.roundedDown(toMultipleOf: tickSize)
            guard ask <= Price(raw: .max) - tickSize else { return nil }
            ask = ask.roundedUp(toMultipleOf: tickSize)
        }
        guard bid.isPositive, ask.isPositive else { return nil }
        self.bid = bid
        self.ask = ask
    }

    /// (bid + ask) / 2, halves rounded to even: the mark positions are valued at.
    var mid: Price {
        let sum = Int128(bid.raw) + Int128(ask.raw)
        return Price(raw: Int64(FixedPointMath.divide(sum, by: 2, .toNearestOrEven)))
    }
}
