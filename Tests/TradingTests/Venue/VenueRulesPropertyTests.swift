import Testing
@testable import Trading

/// A seeded random order flow against a venue with a tick grid, a minimum size and a
/// displayed size, with cancels and replaces, checked after every step.
@Suite struct VenueRulesPropertyTests {
    static let symbol = "BTC-USD"

    /// What the checks saw, so the test can prove the stream reached every path.
    struct Coverage {
        var rejections: Set<TradingError.Code> = []
        var replaces = 0
        var partialFills = 0
        var partiallyFilledSeen = 0
        var steps = 0
    }

    @Test func conservationInventoryAndPendingExposureHoldThroughoutTheRun() throws {
        var prices = try PriceProcess(config: PriceProcessConfig(startPrice: 60_000, volatility: 0.9, stepSeconds: 60), seed: 31)
        var rng = SeededGenerator(seed: 32)
        var venue = try SimulatedVenue(
            config: VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 2),
            accounts: [
                AccountConfig(name: "spot", perSymbol: [Self.symbol: Balance(base: 2, quote: 200_000)]),
                AccountConfig(name: "shorty", perSymbol: [Self.symbol: Balance(quote: 100_000)], allowShort: true),
            ],
            symbols: [Self.symbol], rules: [Self.symbol: SymbolRules(tickSize: 0.01, lotSize: 0.001, minQty: 0.01, displayedSize: 0.5)])
        var coverage = Coverage()
        var mark = prices.current.mid
        _ = venue.updateQuote(symbol: Self.symbol, quote: prices.current, at: 0)
        // No fill can precede the first quote, so these are the opening books the fills replay onto.
        var replayed = venue.positions
        for step in 1...1_500 {
            let time = Int64(step) * 60_000_000
            let before = venue.positions
            let quote = prices.next()
            var fills = venue.updateQuote(symbol: Self.symbol, quote: quote, at: time)
            for index in 0..<3 {
                let result = venue.submit(Self.randomOrder(&rng, quote: quote, id: "\(step)-\(index)"), at: time)
                if let code = result.rejection?.code { coverage.rejections.insert(code) }
                fills += result.fills
            }
            let open = venue.openOrders
            if !open.isEmpty, rng.nextUnit() < 0.3 {
                let victim = open[Int(rng.next() % UInt64(open.count))]
                if rng.nextUnit() < 0.5 {
                    #expect(venue.cancel(orderId: victim.orderId)?.status == .cancelled)
                } else {
                    let price = ticks(victim.limitPrice.double * (1 + (rng.nextUnit() - 0.5) * 0.004))
                    let replaced = venue.replace(orderId: victim.orderId, newQty: lots(0.005 + rng.nextUnit(), lot: 0.001),
                                                 newLimitPrice: price, at: time)
                    fills += replaced?.fills ?? []
                    if let code = replaced?.rejection?.code { coverage.rejections.insert(code) }
                    coverage.replaces += 1
                }
            }
            coverage.partialFills += fills.filter { fill in fill.qty < Quantity(0.5) && venue.restingOrder(id: fill.orderId) != nil }.count
            coverage.partiallyFilledSeen += venue.openOrders.filter { $0.status == .partiallyFilled }.count

            Self.checkValue(before: before, after: venue.positions, oldMark: mark, mark: quote.mid, fills: fills, step: step)
            for fill in fills { replayed[PositionKey(account: fill.account, symbol: fill.symbol)]?.apply(fill) }
            Self.checkInventory(venue, replayed: replayed, step: step)
            mark = quote.mid
            coverage.steps += 1
        }
        #expect(coverage.steps == 1_500)
        #expect(coverage.rejections.isSuperset(of: [.offTick, .belowMinSize, .insufficientBase, .insufficientQuote]))
        #expect(coverage.replaces > 100 && coverage.partialFills > 20 && coverage.partiallyFilledSeen > 20)
    }

    static func randomOrder(_ rng: inout SeededGenerator, quote: MarketQuote, id: String) -> OrderRequest {
        let type: OrderType = rng.nextUnit() < 0.4 ? .market : .limit
        var price = ticks(quote.mid * (1 + (rng.nextUnit() - 0.5) * 0.004))
        if rng.nextUnit() < 0.05 { price += 0.003 }  // off the grid
        var qty = lots(0.005 + rng.nextUnit() * 1.5, lot: 0.001)  // a few below the 0.01 minimum
        if rng.nextUnit() < 0.02 { qty = [-1, 0, qty + Quantity(raw: 1)][Int(rng.next() % 3)] }  // the last is off the lot grid
        return OrderRequest(clientOrderId: id, account: rng.next() % 2 == 0 ? "spot" : "shorty", symbol: symbol,
                            side: rng.next() % 2 == 0 ? .buy : .sell, type: type, qty: qty,
                            limitPrice: type == .limit ? price : nil)
    }

    /// Σ (quote + base·mark) moves only by the old base × the mark change, each fill's
    /// qty × (mark − price) in its direction, and fees.
    static func checkValue(
        before: [PositionKey: Position], after: [PositionKey: Position], oldMark: Double, mark: Double, fills: [Fill], step: Int
    ) {
        // A valuation at a floating-point mark, so compared within a tolerance.
        func value(_ p: Position, _ m: Double) -> Double { p.quote.double + p.base.double * m }
        let valueBefore = before.values.reduce(0) { $0 + value($1, oldMark) }
        let valueAfter = after.values.reduce(0) { $0 + value($1, mark) }
        let priceMove = before.values.reduce(0) { $0 + $1.base.double * (mark - oldMark) }
        let tradeVersusMark = fills.reduce(0) { $0 + $1.side.sign * $1.qty.double * (mark - $1.price.double) }
        let fees = fills.reduce(0) { $0 + $1.fee.double }
        #expect(close(valueAfter - valueBefore, priceMove + tradeVersusMark - fees, 1e-6), "value at step \(step)")
        let spot = after[PositionKey(account: "spot", symbol: symbol)]!
        #expect(spot.base >= 0 && spot.quote >= 0, "spot went negative at step \(step)")
    }

    /// Positions equal the reported fills replayed onto fresh books, and pending
    /// exposure equals the unfilled quantity of what is resting.
    static func checkInventory(_ venue: SimulatedVenue, replayed: [PositionKey: Position], step: Int) {
        let open = venue.openOrders
        for state in venue.inventories() {
            let book = replayed[PositionKey(account: state.account, symbol: state.symbol)]!
            #expect(state.position == book.base && state.realizedPnl == book.realizedPnl, "\(state.account) step \(step)")
            #expect(state.averageEntryPrice == book.averageEntryPrice, "\(state.account) step \(step)")
            let mine = open.filter { $0.account == state.account }
            let buys = mine.filter { $0.side == .buy }.reduce(Quantity.zero) { $0 + $1.remainingQty }
            let sells = mine.filter { $0.side == .sell }.reduce(Quantity.zero) { $0 + $1.remainingQty }
            #expect(state.pendingBuyQty == buys && state.pendingSellQty == sells,
                    "\(state.account) pending \(state.pendingBuyQty)/\(state.pendingSellQty) vs resting \(buys)/\(sells) at step \(step)")
            #expect(state.effectiveInventory == book.base + buys - sells)
            let free = venue.available(account: state.account, symbol: state.symbol)!
            if state.account == "spot" { #expect(free.base >= 0 && free.quote >= 0, "spot over-reserved at step \(step)") }
        }
        #expect(venue.positions.values.allSatisfy { position in
            replayed[PositionKey(account: position.account, symbol: position.symbol)]!.quote == position.quote
        }, "quote balances at step \(step)")
    }
}
