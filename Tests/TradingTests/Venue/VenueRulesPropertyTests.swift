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
                AccountConfig(name: "spot", balances: [Self.symbol: Balance(base: 2, quote: 200_000)]),
                AccountConfig(name: "shorty", balances: [Self.symbol: Balance(quote: 100_000)], allowShort: true),
            ],
            symbols: [Self.symbol], rules: [Self.symbol: SymbolRules(tickSize: 0.01, minQty: 0.01, displayedSize: 0.5)])
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
                    let price = (victim.limitPrice * (1 + (rng.nextUnit() - 0.5) * 0.004) * 100).rounded() / 100
                    let replaced = venue.replace(orderId: victim.orderId, newQty: 0.005 + rng.nextUnit(), newLimitPrice: price, at: time)
                    fills += replaced?.fills ?? []
                    if let code = replaced?.rejection?.code { coverage.rejections.insert(code) }
                    coverage.replaces += 1
                }
            }
            coverage.partialFills += fills.filter { fill in fill.qty < 0.5 && venue.restingOrder(id: fill.orderId) != nil }.count
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
        var price = (quote.mid * (1 + (rng.nextUnit() - 0.5) * 0.004) * 100).rounded() / 100
        if rng.nextUnit() < 0.05 { price += 0.003 }  // off the grid
        var qty = 0.005 + rng.nextUnit() * 1.5       // a few below the 0.01 minimum
        if rng.nextUnit() < 0.02 { qty = [.nan, -1, 0, .infinity][Int(rng.next() % 4)] }
        return OrderRequest(clientOrderId: id, account: rng.next() % 2 == 0 ? "spot" : "shorty", symbol: symbol,
                            side: rng.next() % 2 == 0 ? .buy : .sell, type: type, qty: qty,
                            limitPrice: type == .limit ? price : nil)
    }

    /// Σ (quote + base·mark) moves only by the old base × the mark change, each fill's
    /// qty × (mark − price) in its direction, and fees.
    static func checkValue(
        before: [PositionKey: Position], after: [PositionKey: Position], oldMark: Double, mark: Double, fills: [Fill], step: Int
    ) {
        let valueBefore = before.values.reduce(0) { $0 + $1.totalValue(mark: oldMark) }
        let valueAfter = after.values.reduce(0) { $0 + $1.totalValue(mark: mark) }
        let priceMove = before.values.reduce(0) { $0 + $1.base * (mark - oldMark) }
        let tradeVersusMark = fills.reduce(0) { $0 + $1.side.sign * $1.qty * (mark - $1.price) }
        let fees = fills.reduce(0) { $0 + $1.fee }
        #expect(close(valueAfter - valueBefore, priceMove + tradeVersusMark - fees, 1e-7), "value at step \(step)")
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
            let buys = mine.filter { $0.side == .buy }.reduce(0) { $0 + $1.remainingQty }
            let sells = mine.filter { $0.side == .sell }.reduce(0) { $0 + $1.remainingQty }
            #expect(abs(state.pendingBuyQty - buys) < 1e-9 && abs(state.pendingSellQty - sells) < 1e-9,
                    "\(state.account) pending \(state.pendingBuyQty)/\(state.pendingSellQty) vs resting \(buys)/\(sells) at step \(step)")
            #expect(abs(state.effectiveInventory - (book.base + buys - sells)) < 1e-9)
            let free = venue.available(account: state.account, symbol: state.symbol)!
            if state.account == "spot" { #expect(free.base >= -1e-9 && free.quote >= -1e-6, "spot over-reserved at step \(step)") }
        }
        #expect(venue.positions.values.allSatisfy { position in
            replayed[PositionKey(account: position.account, symbol: position.symbol)]!.quote == position.quote
        }, "quote balances at step \(step)")
    }
}
