import Testing
@testable import Trading

/// `marginShortfall` works out the book's totals before an order only when the totals after it
/// do not settle the check. Its answer must be the one of the check as written with both:
/// the book out of range before passes, the book out of range after is refused as such, and a
/// rise in margin used beyond the equity after is refused with the same figures (or as out of
/// range when the margin it needs is past the range).
@Suite struct VenueMarginShortfallTests {
    /// The check with the totals before worked out first, as it was written before.
    static func reference(_ venue: SimulatedVenue, _ request: OrderRequest, account: Int, change: MarginChange) -> TradingError? {
        let book = venue.assets.bySymbol[change.symbol].quote
        guard let before = venue.marginTotals(account: account, book: book) else { return nil }
        guard let after = venue.marginTotals(account: account, book: book, applying: change) else { return VenueRejection.outOfRange(request) }
        guard after.used > before.used, after.used > after.equity, let figures = venue.margin(account: account, book: book) else { return nil }
        guard let required = try? (after.used - before.used).adding(before.equity.subtracting(after.equity)) else {
            return VenueRejection.outOfRange(request)
        }
        return VenueRejection.insufficientMargin(request, required: required, available: figures.availableMargin,
                                                 equity: figures.equity, used: figures.marginUsed, leverage: figures.maxLeverage,
                                                 asset: figures.collateralAsset)
    }

    /// A quantity worth anything from a few units of quote to most of the fixed-point range at
    /// `mark`, so that two of the largest take a book past the range.
    static func quantity(_ random: inout SeededGenerator, at mark: Price?) -> Quantity {
        let worth = [10.0, 1e6, 1e9, Double.random(in: 3e10 ... 8e10, using: &random)].randomElement(using: &random)!
        let units = worth * Double.random(in: 0.5 ... 1, using: &random) / (mark?.double ?? 1)
        return Quantity(raw: max(1, Int64(min(units * 1e8, 9e18))))
    }

    @Test func theAnswerIsTheCheckWithBothTotals() throws {
        var random = SeededGenerator(seed: 81)
        var outcomes: [String: Int] = [:], outOfRangeBefore = 0, requiredPastRange = 0, restingLegs = 0, flatLegs = 0
        for round in 0..<60 {
            let margin = MarginTerms(maxLeverage: Int.random(in: 1...20, using: &random), maintenanceBps: Int.random(in: 10...500, using: &random))
            let usd = AssetAmount(raw: Int64.random(in: 1 ... 1_000_000_000_000_000_000, using: &random))
            let account = AccountConfig(name: "m", balances: ["USD": usd], allowShort: true, margin: margin)
            var venue = try makeVenue([account], config: VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 1))
            for symbol in ["BTC-USD", "ETH-USD"] {
                let mid = Double(Int.random(in: 1 ... 1_000_000_000, using: &random)) / 100
                _ = venue.updateQuote(symbol: symbol, quote: MarketQuote(bid: mid * 0.999, ask: mid * 1.001, last: mid), at: 0)
            }
            // Positions of any size, resting orders away from the touch, or neither (a flat leg
            // with nothing resting adds nothing to the totals); then marks far off, so that some
            // books are already out of range.
            for index in 0..<4 {
                let symbol = index.isMultiple(of: 2) ? "BTC-USD" : "ETH-USD"
                let mark = venue.mark(for: symbol)
                let qty = Self.quantity(&random, at: mark)
                let side: Side = Bool.random(using: &random) ? .buy : .sell
                switch Int.random(in: 0...3, using: &random) {
                case 0: continue
                case 1:
                    let raw = mark?.raw ?? 100_000_000
                    let limit = Price(raw: side == .buy ? raw - raw / 5 : raw + raw / 5).roundedToNearest(multipleOf: Price(raw: 1_000_000))
                    _ = venue.submit(order(side, qty, .limit, limit: limit, symbol: symbol, account: "m", id: "r\(round)-\(index)"), at: 1)
                default:
                    _ = venue.submit(order(side, qty, symbol: symbol, account: "m", id: "r\(round)-\(index)"), at: 1)
                }
            }
            for s in venue.symbols.indices {
                let slot = venue.slot(account: 0, symbol: s)
                if !venue.reservations[slot].buyQty.isZero || !venue.reservations[slot].base.isZero { restingLegs += 1 }
                if venue.positionSlots[slot].base.isZero && venue.reservations[slot] == Reservation() { flatLegs += 1 }
            }
            if Bool.random(using: &random) {
                let far = Double(Int.random(in: 1 ... 9_000_000_000, using: &random))
                _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: far, ask: far * 1.0001, last: far), at: 2)
            }
            for index in 0..<50 {
                // A change as an order makes it (see `shortfall`): base one way, its cost at about
                // the mark and a fee the other way, or a resting order's pending quantity.
                var change = MarginChange(symbol: Int.random(in: 0...1, using: &random))
                let price = try #require(venue.mark(for: venue.symbols[change.symbol]))
                let qty = Self.quantity(&random, at: price)
                guard let cost = try? price.notional(qty), let fee = try? cost.scaled(by: 10, over: 10_000, .up) else { continue }
                switch Int.random(in: 0...4, using: &random) {
                case 0: (change.base, change.cash) = (qty, -(cost + fee))
                case 1: (change.base, change.cash) = (-qty, cost - fee)
                case 2: change.pendingBuy = qty
                case 3: change.pendingSell = qty
                default:
                    // No order makes this: a resting buy that also takes most of the range in
                    // cash. The margin a refusal reports can then be past the range, which must
                    // be refused as out of range, not trapped on.
                    change.pendingBuy = qty
                    change.cash = Money(raw: Int64.random(in: -Int64.max ... -Int64.max / 2, using: &random))
                }
                let request = order(change.base.isNegative || !change.pendingSell.isZero ? .sell : .buy, qty, symbol: venue.symbols[change.symbol],
                                    account: "m", id: "c\(round)-\(index)")
                // The totals the check reads, added as the legs are read, are the full figures'.
                let book = venue.assets.bySymbol[change.symbol].quote
                for applied in [nil, change] {
                    let totals = venue.marginTotals(account: 0, book: book, applying: applied)
                    let full = venue.margin(account: 0, book: book, applying: applied)
                    #expect(totals?.equity == full?.equity && totals?.used == full?.marginUsed && totals?.maintenance == full?.maintenanceMargin,
                            "round \(round), change \(index)")
                }
                let answer = venue.marginShortfall(request, account: 0, change: change)
                #expect(answer == Self.reference(venue, request, account: 0, change: change), "round \(round), change \(index)")
                outcomes[answer?.code.rawValue ?? "passes", default: 0] += 1
                if let before = venue.marginTotals(account: 0, book: book) {
                    if let after = venue.marginTotals(account: 0, book: book, applying: change), after.used > before.used,
                       after.used > after.equity, (try? before.equity.subtracting(after.equity).adding(after.used - before.used)) == nil {
                        requiredPastRange += 1
                    }
                } else {
                    outOfRangeBefore += 1
                }
            }
        }
        // The sample reaches every answer (passes, refused for margin, refused as out of range)
        // and books already out of range before the order.
        #expect(outcomes.count == 3, "\(outcomes)")
        #expect(outcomes.values.allSatisfy { $0 >= 10 }, "\(outcomes)")
        #expect(outOfRangeBefore > 0)
        #expect(restingLegs >= 10 && flatLegs >= 10, "\(restingLegs) legs with resting orders, \(flatLegs) flat")
        #expect(requiredPastRange > 0, "no refusal needed more margin than an amount can say")
    }
}
