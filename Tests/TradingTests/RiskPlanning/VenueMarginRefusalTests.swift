import Testing
@testable import Trading

/// The RiskManager's margin-usage check on the venue's own figures.
@Suite struct VenueMarginRefusalTests {
    @Test func aPlanWhoseInitialMarginTheEquityCannotCarryIsRefused() throws {
        // Equity 998.35, 750 used at 2x. A plan of 500 notional adds 250: (750 + 250) / 998.35
        // = 1.00165 > 1, refused; 496 adds 248: 998 / 998.35 = 0.99965, allowed.
        let venue = VenueMargin(equity: 998.35, marginUsed: 750, maxLeverage: 2)
        let refusal = try #require(venue.refusal(notional: 500, symbol: "ETH-USD"))
        #expect(refusal.limit == .marginUsage && refusal.allowed == 1)
        #expect(abs((refusal.observed ?? 0) - 1_000 / 998.35) < 1e-12)
        #expect(refusal.message.contains("margin at the venue") && refusal.message.contains("2x"))
        #expect(venue.refusal(notional: 496, symbol: "ETH-USD") == nil)
        // No equity left: any plan is refused.
        #expect(VenueMargin(equity: -5, marginUsed: 0, maxLeverage: 10).refusal(notional: 1, symbol: "BTC-USD")?.observed == .infinity)
    }

    @Test func marginExactlyAtEquityFitsAndOneUnitMoreDoesNot() {
        // 750 used + 500 / 2 = 1,000 = equity: usage exactly 100 %, allowed.
        let venue = VenueMargin(equity: 1_000, marginUsed: 750, maxLeverage: 2)
        #expect(venue.refusal(notional: 500, symbol: "BTC-USD") == nil)
        // 500.00000001 / 2 = 250.000000005, held as 250.00000001 (rounded up): one unit past equity.
        let refusal = venue.refusal(notional: 500.00000001, symbol: "BTC-USD")
        #expect(refusal?.limit == .marginUsage)
        // The same from the used side: 750.00000001 + 250 is past 1,000.
        #expect(VenueMargin(equity: 1_000, marginUsed: 750.00000001, maxLeverage: 2).refusal(notional: 500, symbol: "BTC-USD") != nil)
    }
}
