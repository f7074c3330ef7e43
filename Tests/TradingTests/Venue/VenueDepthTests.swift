import Testing
@testable import Trading

/// Taker orders walk the simulated book: one fill per level, worse prices for size, the
/// unfilled part cancelled or the order rejected, levels refilled by quote updates.
/// The hand-computed numbers are docs/MODEL.md's worked example.
@Suite struct VenueDepthTests {
    /// Three levels of 0.5 a side, one 0.1 tick apart, at bid 99.9 / ask 100.0; 10 bps taker fee.
    static func venue(
        quote: Money = 1_000, base: Quantity = 0, unfilled: MarketDepth.Unfilled = .cancel,
        refillQty: Quantity? = nil, slippageBps: Double = 0
    ) throws -> SimulatedVenue {
        let depth = MarketDepth(levels: 3, levelQty: 0.5, refillQty: refillQty, unfilled: unfilled)
        return try ruledVenue(Balance(base: base, quote: quote), rules: SymbolRules(tickSize: 0.1, depth: depth),
                              bid: 99.9, ask: 100.0, config: VenueConfig(slippageBps: slippageBps))
    }

    /// (price, qty, fee) of each fill.
    static func levels(_ result: OrderResult) -> [[Double]] { result.fills.map { [$0.price.double, $0.qty.double, $0.fee.double] } }

    static func agree(_ actual: [[Double]], _ expected: [[Double]]) -> Bool {
        actual.count == expected.count && zip(actual, expected).allSatisfy { a, e in
            a.count == e.count && zip(a, e).allSatisfy { close($0, $1, 1e-12) }
        }
    }

    @Test func aLargeBuyWalksTheBookOneFillPerLevel() throws {
        var venue = try Self.venue()
        let result = venue.submit(order(.buy, 1.2, id: "walk"), at: 1)
        #expect(result.status == .filled && result.filledQty == 1.2 && result.rejection == nil)
        // 0.5 @ 100.0, 0.5 @ 100.1, 0.2 @ 100.2; fee = price × qty × 10 / 10 000 per fill.
        #expect(Self.agree(Self.levels(result), [[100.0, 0.5, 0.05], [100.1, 0.5, 0.05005], [100.2, 0.2, 0.02004]]))
        // Cost 50 + 50.05 + 20.04 = 120.09; average 120.09 / 1.2 = 100.075.
        #expect(result.averagePrice ?? 0 == 100.075)
        let position = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        // 1 000 − 120.09 − 0.12009 = 879.78991
        #expect(position.quote == 879.789_91 && position.base == 1.2)
        #expect(position.feesPaid == 0.120_09)
        #expect(result.fills.allSatisfy { $0.orderId == result.orderId && $0.clientOrderId == "walk" })
    }

    @Test func anOrderTheTouchCanTakeFillsThereAsWithoutDepth() throws {
        var venue = try Self.venue(base: 1)
        let result = venue.submit(order(.sell, 0.4, id: "small"), at: 1)
        #expect(result.status == .filled)
        #expect(Self.agree(Self.levels(result), [[99.9, 0.4, 0.03996]]))
        // Replays, as every result does.
        #expect(venue.submit(order(.sell, 0.4, id: "small"), at: 2) == result)
    }

    @Test func whatTheBookCannotTakeIsCancelled() throws {
        var venue = try Self.venue()
        let result = venue.submit(order(.buy, 2, id: "ioc"), at: 1)
        #expect(result.status == .partiallyFilled && result.filledQty == 1.5 && result.requestedQty == 2)
        #expect(Self.agree(Self.levels(result), [[100.0, 0.5, 0.05], [100.1, 0.5, 0.05005], [100.2, 0.5, 0.0501]]))
        // (50 + 50.05 + 50.1) / 1.5 = 100.1
        #expect(result.averagePrice ?? 0 == 100.1)
        #expect(result.rejection?.code == .insufficientDepth)
        #expect(result.rejection?.message.hasSuffix("the remaining 0.5 is cancelled") == true)
        #expect(venue.openOrders.isEmpty)
        // The book is empty on that side until the next quote.
        #expect(venue.submit(order(.buy, 0.1, id: "after"), at: 2).rejection?.code == .insufficientDepth)
    }

    @Test func inRejectModeAnOrderTheBookCannotFillWholeIsRejectedAndTakesNothing() throws {
        var venue = try Self.venue(unfilled: .reject)
        let refused = venue.submit(order(.buy, 2, id: "fok"), at: 1)
        #expect(refused.status == .rejected && refused.fills.isEmpty)
        #expect(refused.rejection?.code == .insufficientDepth)
        #expect(refused.rejection?.message.contains("holds 1.5 of the 2 asked for") == true)
        #expect(venue.position(account: "desk", symbol: "BTC-USD")?.quote == 1_000)
        let fits = venue.submit(order(.buy, 1.2, id: "fits"), at: 2)
        #expect(Self.agree(Self.levels(fits), [[100.0, 0.5, 0.05], [100.1, 0.5, 0.05005], [100.2, 0.2, 0.02004]]))
    }

    @Test func levelsRefillOverQuoteUpdates() throws {
        var venue = try Self.venue(refillQty: 0.2)
        _ = venue.submit(order(.buy, 1.2, id: "a"), at: 1)
        // Left: 0, 0, 0.3. One update: 0.2, 0.2, 0.5.
        _ = venue.touch(99.9, 100.0, at: 2)
        let second = venue.submit(order(.buy, 0.5, id: "b"), at: 3)
        #expect(Self.agree(Self.levels(second).map { Array($0.prefix(2)) }, [[100.0, 0.2], [100.1, 0.2], [100.2, 0.1]]))
        // Left: 0, 0, 0.4. Three updates at a new touch: 0.2, 0.4 then 0.5 each (capped at 0.5); levels follow the touch.
        for time in 4...6 { _ = venue.touch(100.9, 101.0, at: Int64(time)) }
        let third = venue.submit(order(.buy, 1.5, id: "c"), at: 7)
        #expect(third.status == .filled)
        #expect(Self.agree(Self.levels(third).map { Array($0.prefix(2)) }, [[101.0, 0.5], [101.1, 0.5], [101.2, 0.5]]))
    }

    @Test func aCrossingLimitOrderWalksOnlyUpToItsLimit() throws {
        var venue = try Self.venue(slippageBps: 5)
        let result = venue.submit(order(.buy, 1.2, .limit, limit: 100.1, id: "limit"), at: 1)
        // No slippage on limit orders; the 100.2 level is beyond the limit, so 0.2 is cancelled.
        #expect(result.status == .partiallyFilled && result.filledQty == 1 && result.limitPrice == 100.1)
        #expect(Self.agree(Self.levels(result), [[100.0, 0.5, 0.05], [100.1, 0.5, 0.05005]]))
        #expect(venue.openOrders.isEmpty)
        // A limit that does not cross rests as before and takes no depth.
        #expect(venue.submit(order(.sell, 0.5, .limit, limit: 100.5, id: "rest"), at: 2).status == .open)
    }

    @Test func slippageAppliesToEveryLevelOfAMarketOrder() throws {
        var venue = try Self.venue(base: 1, slippageBps: 5)
        let result = venue.submit(order(.sell, 0.8, id: "sell"), at: 1)
        // Bids 99.9 and 99.8, each × (1 − 5 / 10 000): 99.85005 and 99.7501.
        #expect(Self.agree(Self.levels(result).map { Array($0.prefix(2)) }, [[99.850_05, 0.5], [99.750_1, 0.3]]))
    }

    @Test func aBuyMustAffordTheWalkedCost() throws {
        // At the touch 1.2 would cost 120 + 0.12 = 120.12, which 120.15 covers; the walk
        // costs 120.09 + 0.12009 = 120.21009, which it does not.
        var venue = try Self.venue(quote: 120.15)
        let refused = venue.submit(order(.buy, 1.2, id: "dear"), at: 1)
        #expect(refused.rejection?.code == .insufficientQuote)
        #expect(refused.rejection?.message.hasPrefix("needs 120.21009 USD (cost 120.09 + fee 0.12009)") == true)
        // Nothing was taken from the book.
        var rich = try Self.venue()
        #expect(Self.levels(venue.submit(order(.buy, 0.5, id: "ok"), at: 2)) == Self.levels(rich.submit(order(.buy, 0.5, id: "ok"), at: 2)))
    }

    @Test func aSpotSellIsCheckedAgainstWhatFills() throws {
        var venue = try Self.venue(base: 1)
        // The book takes 1.5 of 2: more than the 1 held, refused; selling exactly 1 goes through.
        #expect(venue.submit(order(.sell, 2, id: "s1"), at: 1).rejection?.code == .insufficientBase)
        #expect(venue.submit(order(.sell, 1, id: "s2"), at: 2).status == .filled)
    }

    @Test(arguments: [
        (MarketDepth(levels: 0, levelQty: 1), "levels must be at least 1"),
        (MarketDepth(levels: 2, levelQty: 0), "levelQty must be a positive whole number of lots"),
        (MarketDepth(levels: 2, levelQty: 1, refillQty: -1), "refillQty must be a positive whole number of lots"),
        (MarketDepth(levels: 2, levelQty: 1, stepBps: 0), "stepBps must be in (0, 10000)"),
        (MarketDepth(levels: 2, levelQty: 1), "needs stepBps or a tickSize"),
    ])
    func unusableDepthIsRefused(_ depth: MarketDepth, _ wording: String) {
        #expect(throws: TradingError.self) { try SymbolRules(depth: depth).validated(symbol: "BTC-USD") }
        do {
            _ = try SymbolRules(depth: depth).validated(symbol: "BTC-USD")
        } catch {
            #expect(error.message.contains(wording), "\(error.message)")
        }
    }
}
