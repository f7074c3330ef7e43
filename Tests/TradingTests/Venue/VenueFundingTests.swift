import Testing
@testable import Trading

/// Funding of perpetual (margin) positions on the venue's clock, every number worked by hand:
/// BTC-USD pays 1 bps every 8 hours, fees are rounded to cents, taker fee 10 bps.
@Suite struct VenueFundingTests {
    static let hours8: Int64 = 28_800 * 1_000_000

    static func venue(rateBps: Double = 1) throws -> SimulatedVenue {
        let accounts = ["long", "short"].map {
            AccountConfig(name: $0, balances: ["USD": 10_000], allowShort: true, margin: MarginTerms(maxLeverage: 5))
        } + [AccountConfig(name: "spot", balances: ["USD": 100_000, "BTC": 1])]
        let rules = SymbolRules(quoteStep: 0.01, funding: FundingTerms(intervalSeconds: 28_800, rateBps: rateBps))
        var venue = try SimulatedVenue(config: VenueConfig(), accounts: accounts, symbols: ["BTC-USD"], rules: ["BTC-USD": rules])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 1_000_000)
        return venue
    }

    static func quote(_ venue: inout SimulatedVenue, bid: Price, ask: Price, at time: Int64) {
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: bid.double, ask: ask.double, last: bid.double), at: time)
    }

    @Test func aShortReceivesAndALongPaysTheRateOnTheNotionalAtTheMark() throws {
        var venue = try Self.venue()
        // The first settlement after the first quote only starts the clock, at the multiple 0.
        let start = venue.settleFunding(at: 1_000_000)
        #expect(start.payments.isEmpty && start.clock == ["BTC-USD": 0])
        #expect(venue.nextFunding(symbol: "BTC-USD") == Self.hours8)
        // Sell 0.8 at 59,990: USD 10,000 + 47,992 − 48 (fee 47.992 rounded up to cents) = 57,944.
        #expect(venue.submit(order(.sell, 0.8, account: "short", id: "s"), at: 2_000_000).status == .filled)
        // Buy 0.5 at 60,010: USD 10,000 − 30,005 − 30.01 (30.005 up to cents) = −20,035.01.
        #expect(venue.submit(order(.buy, 0.5, account: "long", id: "l"), at: 2_000_000).status == .filled)
        #expect(venue.balance(account: "short", asset: "USD") == 57_944)
        #expect(venue.balance(account: "long", asset: "USD") == -20_035.01)
        #expect(venue.settleFunding(at: Self.hours8 - 1).isEmpty, "not due a microsecond early")
        let paid = venue.settleFunding(at: Self.hours8).payments
        // Mark 60,000: short −0.8 → −48,000 × 1 bps = −4.8, credited +4.80; long 0.5 → 30,000 → pays 3.00.
        #expect(paid.map(\.account) == ["long", "short"], "spot accounts never pay")
        #expect(paid.map(\.amount) == [-3, 4.8])
        #expect(paid.allSatisfy { $0.fundingTimeMicros == Self.hours8 && $0.mark == 60_000 && $0.asset == "USD" && $0.rateBps == 1 })
        #expect(venue.balance(account: "short", asset: "USD") == 57_948.8)
        #expect(venue.balance(account: "long", asset: "USD") == -20_038.01)
        #expect(venue.position(account: "short", symbol: "BTC-USD")?.realizedPnl == 4.8)
        #expect(venue.balance(account: "spot", asset: "USD") == 100_000)
        #expect(venue.settleFunding(at: Self.hours8 + 1).isEmpty, "once per funding time")
        #expect(venue.nextFunding(symbol: "BTC-USD") == 2 * Self.hours8)
    }

    @Test func thePayerRoundsUpAndTheReceiverDownToTheQuoteStep() throws {
        var venue = try Self.venue()
        _ = venue.settleFunding(at: 1_000_000)
        #expect(venue.submit(order(.buy, 0.0123, account: "long", id: "l"), at: 2_000_000).status == .filled)
        #expect(venue.submit(order(.sell, 0.0123, account: "short", id: "s"), at: 2_000_000).status == .filled)
        let before = (venue.balance(account: "long", asset: "USD")!, venue.balance(account: "short", asset: "USD")!)
        // Mid 60,000.5: notional 0.0123 × 60,000.5 = 738.00615, × 1 bps = 0.073800615.
        Self.quote(&venue, bid: 60_000, ask: 60_001, at: Self.hours8)
        let paid = venue.settleFunding(at: Self.hours8).payments
        #expect(paid.map(\.amount) == [-0.08, 0.07])
        #expect(venue.balance(account: "long", asset: "USD") == before.0 - 0.08)
        #expect(venue.balance(account: "short", asset: "USD") == before.1 + 0.07)
    }

    @Test func aNegativeRateMakesShortsPayAndEveryFundingTimePassedIsPaid() throws {
        var venue = try Self.venue(rateBps: -2.5)
        _ = venue.settleFunding(at: 1_000_000)
        #expect(venue.submit(order(.sell, 0.8, account: "short", id: "s"), at: 2_000_000).status == .filled)
        // Three funding times passed (8 h, 16 h, 24 h): each is paid, −48,000 × −(−2.5 bps) = −12.
        let settled = venue.settleFunding(at: 3 * Self.hours8 + 5)
        #expect(settled.payments.map(\.amount) == [-12, -12, -12])
        #expect(settled.payments.map(\.fundingTimeMicros) == [1, 2, 3].map { $0 * Self.hours8 })
        #expect(settled.clock == ["BTC-USD": 3 * Self.hours8] && settled.skipped.isEmpty)
        // USD 57,944 (as for the short above) − 36.
        #expect(venue.balance(account: "short", asset: "USD") == 57_908)
        #expect(venue.nextFunding(symbol: "BTC-USD") == 4 * Self.hours8)
    }

    @Test func aRestoredVenueCarriesOnFromTheLastSettledFundingTime() throws {
        var venue = try Self.venue()
        _ = venue.settleFunding(at: 1_000_000)
        #expect(venue.submit(order(.sell, 0.8, account: "short", id: "s"), at: 2_000_000).status == .filled)
        #expect(venue.settleFunding(at: Self.hours8 + 7).payments.map(\.amount) == [4.8])
        let saved = venue.snapshot()
        #expect(saved.fundingTimes == ["BTC-USD": Self.hours8])
        // Restarted at 8 h 30 min: 8 h was paid before the stop, so nothing is due.
        var restarted = try Self.venue()
        try restarted.restore(saved)
        #expect(restarted.settleFunding(at: Self.hours8 + 1_800_000_000).isEmpty, "8 h is not paid twice")
        // Down until 40 h: 16 h, 24 h, 32 h and 40 h were missed, each paid now at the mark (60,000): 4 × 4.80.
        let missed = restarted.settleFunding(at: 5 * Self.hours8 + 3)
        #expect(missed.payments.map(\.fundingTimeMicros) == [2, 3, 4, 5].map { $0 * Self.hours8 })
        #expect(missed.payments.map(\.amount) == [4.8, 4.8, 4.8, 4.8])
        #expect(restarted.balance(account: "short", asset: "USD") == 57_968, "57,944 + 5 × 4.80")
        // A venue without the restored clock would only start one: it pays nothing now.
        var forgetful = try Self.venue()
        var withoutClock = saved
        withoutClock.fundingTimes = [:]
        try forgetful.restore(withoutClock)
        #expect(forgetful.settleFunding(at: 5 * Self.hours8 + 3).payments.isEmpty)
    }

    @Test func afterALongStopOnlyTheLatestFundingTimesArePaid() throws {
        var venue = try Self.venue()
        _ = venue.settleFunding(at: 1_000_000)
        #expect(venue.submit(order(.sell, 0.8, account: "short", id: "s"), at: 2_000_000).status == .filled)
        // 30 funding times passed: the latest 24 (7 h … 30 h × 8) are paid, the 6 oldest skipped.
        let limit = SimulatedVenue.fundingCatchUpLimit
        let settled = venue.settleFunding(at: 30 * Self.hours8)
        #expect(limit == 24 && settled.payments.count == limit && settled.skipped == ["BTC-USD": 6])
        #expect(settled.payments.first?.fundingTimeMicros == 7 * Self.hours8 && settled.payments.last?.fundingTimeMicros == 30 * Self.hours8)
        #expect(venue.balance(account: "short", asset: "USD") == 58_059.2, "57,944 + 24 × 4.80")
    }

    @Test func termsAreValidated() throws {
        func refused(_ terms: FundingTerms) -> Bool {
            (try? SimulatedVenue(config: VenueConfig(), accounts: [], symbols: ["BTC-USD"],
                                 rules: ["BTC-USD": SymbolRules(funding: terms)])) == nil
        }
        #expect(refused(FundingTerms(intervalSeconds: 0, rateBps: 1)))
        #expect(refused(FundingTerms(intervalSeconds: 28_800, rateBps: 0.00001)))
        #expect(refused(FundingTerms(intervalSeconds: 28_800, rateBps: .nan)))
        #expect(!refused(FundingTerms(intervalSeconds: 28_800, rateBps: -0.0001)))
    }
}
