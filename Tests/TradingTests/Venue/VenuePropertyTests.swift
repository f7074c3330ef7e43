import Testing
@testable import Trading

/// A seeded random order flow against a simulated market, checked after every step.
@Suite struct VenuePropertyTests {
    /// Everything a run produced, for comparing runs.
    struct Run {
        var quotes: [MarketQuote] = []
        var results: [OrderResult] = []
        var fills: [Fill] = []
        var positions: [PositionKey: Position] = [:]
    }

    static let symbol = "BTC-USD"

    /// One step: a new quote, then three random orders (a few malformed), sometimes a cancel.
    static func run(seed: UInt64, steps: Int, afterEachStep: (SimulatedVenue, [Fill], MarketQuote) -> Void = { _, _, _ in }) throws -> Run {
        var prices = try PriceProcess(config: PriceProcessConfig(startPrice: 60_000, volatility: 0.9, stepSeconds: 60), seed: seed)
        var rng = SeededGenerator(seed: seed &+ 1)
        var venue = try SimulatedVenue(
            config: VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 2),
            accounts: [
                AccountConfig(name: "spot", perSymbol: [symbol: Balance(base: 2, quote: 200_000)]),
                AccountConfig(name: "shorty", perSymbol: [symbol: Balance(quote: 100_000)], allowShort: true),
            ],
            symbols: [symbol])
        var run = Run()
        for step in 0..<steps {
            let time = Int64(step) * 60_000_000
            let quote = step == 0 ? prices.current : prices.next()
            run.quotes.append(quote)
            var stepFills = venue.updateQuote(symbol: symbol, quote: quote, at: time)
            for index in 0..<3 {
                let type: OrderType = rng.nextUnit() < 0.5 ? .market : .limit
                let offset = (rng.nextUnit() - 0.5) * 0.004
                var qty = lots(0.01 + rng.nextUnit() * 1.5)
                if rng.nextUnit() < 0.02 { qty = [-1, 0, Quantity(raw: -1)][Int(rng.next() % 3)] }
                let request = OrderRequest(
                    clientOrderId: "\(seed)-\(step)-\(index)", account: rng.next() % 2 == 0 ? "spot" : "shorty",
                    symbol: symbol, side: rng.next() % 2 == 0 ? .buy : .sell, type: type, qty: qty,
                    limitPrice: type == .limit ? ticks(quote.mid * (1 + offset)) : nil)
                let result = venue.submit(request, at: time)
                run.results.append(result)
                stepFills += result.fills
            }
            if rng.nextUnit() < 0.2, !venue.openOrders.isEmpty {
                let victim = venue.openOrders[Int(rng.next() % UInt64(venue.openOrders.count))]
                #expect(venue.cancel(orderId: victim.orderId)?.status == .cancelled)
            }
            run.fills += stepFills
            afterEachStep(venue, stepFills, quote)
        }
        run.positions = venue.positions
        return run
    }

    @Test func valueChangesOnlyByFeesAndPriceMovesAndSpotNeverGoesNegative() throws {
        var previous: (positions: [PositionKey: Position], mark: Double)?
        // Before any trade: starting base is booked at the first mid, (59994 + 60006) / 2.
        let opening = [
            PositionKey(account: "spot", symbol: Self.symbol):
                Position(account: "spot", symbol: Self.symbol, base: 2, quote: 200_000, averageEntryPrice: 60_000),
            PositionKey(account: "shorty", symbol: Self.symbol):
                Position(account: "shorty", symbol: Self.symbol, quote: 100_000),
        ]
        var steps = 0
        let run = try Self.run(seed: 1234, steps: 1_500) { venue, fills, quote in
            steps += 1
            let positions = venue.positions
            let mark = quote.mid
            if let previous {
                // Σ (quote + base·mark) moves by: old base × mark change, each fill's
                // qty × (mark − fill price) in the direction traded, minus fees. Nothing else.
                // A valuation at a floating-point mark, so compared within a tolerance.
                func value(_ p: Position, _ m: Double) -> Double { p.quote.double + p.base.double * m }
                let before = previous.positions.values.reduce(0) { $0 + value($1, previous.mark) }
                let after = positions.values.reduce(0) { $0 + value($1, mark) }
                let priceMove = previous.positions.values.reduce(0) { $0 + $1.base.double * (mark - previous.mark) }
                let tradeVersusMark = fills.reduce(0) { $0 + $1.side.sign * $1.qty.double * (mark - $1.price.double) }
                let fees = fills.reduce(0) { $0 + $1.fee.double }
                #expect(close(after - before, priceMove + tradeVersusMark - fees, 1e-6), "step \(steps)")
            }
            for (key, position) in positions {
                // Average-cost books: quote + base·avg is the opening book value plus
                // realized PnL minus fees, whatever the path.
                let start = try! #require(opening[key])
                // The average entry is rounded to 1e-8, so this identity holds to within |base| × 1e-8.
                let bookValue = position.quote.double + position.base.double * position.averageEntryPrice.double
                let expected = start.quote.double + start.base.double * start.averageEntryPrice.double
                    + position.realizedPnl.double - position.feesPaid.double
                #expect(close(bookValue, expected, 1e-6), "\(key.account) step \(steps)")
            }
            let spot = positions[PositionKey(account: "spot", symbol: Self.symbol)]!
            let free = venue.available(account: "spot", symbol: Self.symbol)!
            #expect(spot.base >= 0 && spot.quote >= 0, "spot went negative at step \(steps)")
            #expect(free.base >= 0 && free.quote >= 0, "spot over-reserved at step \(steps)")
            previous = (positions, mark)
        }
        // The stream must actually exercise every path, or the checks above prove little.
        let statuses = Set(run.results.map(\.status))
        #expect(statuses.isSuperset(of: [OrderStatus.filled, .open, .rejected]))
        #expect(run.fills.contains { $0.fee > 0 && $0.fee.double < $0.notionalQuote.double * 0.0006 })  // maker fills
        #expect(run.positions[PositionKey(account: "shorty", symbol: Self.symbol)].map { $0.realizedPnl != 0 } == true)
        #expect(run.results.contains { $0.rejection?.code == .insufficientBase })
        #expect(run.results.contains { $0.rejection?.code == .insufficientQuote })
    }

    @Test func positionsEqualOpeningBalancesPlusReportedFills() throws {
        let run = try Self.run(seed: 99, steps: 800)
        var base: [String: Quantity] = ["spot": 2, "shorty": 0]
        var quote: [String: Money] = ["spot": 200_000, "shorty": 100_000]
        for fill in run.fills {
            base[fill.account]! += fill.side == .buy ? fill.qty : -fill.qty
            quote[fill.account]! += fill.side == .buy ? -(fill.notionalQuote + fill.fee) : fill.notionalQuote - fill.fee
        }
        for (key, position) in run.positions {
            #expect(position.base == base[key.account]!)
            #expect(position.quote == quote[key.account]!)
        }
        let fees = run.fills.reduce(Money.zero) { $0 + $1.fee }
        #expect(run.positions.values.reduce(Money.zero) { $0 + $1.feesPaid } == fees)
    }

    @Test func sameSeedSameFillsDifferentSeedDifferentFills() throws {
        let first = try Self.run(seed: 7, steps: 400)
        let second = try Self.run(seed: 7, steps: 400)
        let other = try Self.run(seed: 8, steps: 400)
        #expect(!first.fills.isEmpty)
        #expect(first.quotes == second.quotes && first.fills == second.fills && first.positions == second.positions)
        // Results of malformed orders carry NaN quantities, which never compare equal;
        // their text does.
        #expect(first.results.map { "\($0)" } == second.results.map { "\($0)" })
        #expect(first.fills != other.fills)
    }
}
