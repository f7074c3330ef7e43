import Testing
@testable import Trading

/// A seeded random order flow against a venue with depth: every balance changes by exactly
/// its fills, spot accounts never go negative, and no side gives more than its levels hold.
@Suite struct VenueDepthPropertyTests {
    static let symbol = "BTC-USD"
    static let depth = MarketDepth(levels: 4, levelQty: 0.4, stepBps: 3, refillQty: 0.15)

    @Test(arguments: [UInt64(1), 7, 42])
    func balancesChangeOnlyByFillsWithDepth(seed: UInt64) throws {
        var prices = try PriceProcess(config: PriceProcessConfig(startPrice: 60_000, volatility: 0.9, stepSeconds: 60), seed: seed)
        var rng = SeededGenerator(seed: seed &+ 1)
        let start = ["spot": Balance(base: 2, quote: 200_000), "shorty": Balance(quote: 100_000)]
        var venue = try SimulatedVenue(
            config: VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 2),
            accounts: [AccountConfig(name: "spot", perSymbol: [Self.symbol: start["spot"]!]),
                       AccountConfig(name: "shorty", perSymbol: [Self.symbol: start["shorty"]!], allowShort: true)],
            symbols: [Self.symbol], rules: [Self.symbol: SymbolRules(depth: Self.depth)])
        var expected = start.mapValues { (base: $0.base, quote: $0.quote) }
        func book(_ fills: [Fill]) {
            for fill in fills {
                expected[fill.account]!.base += fill.side == .buy ? fill.qty : -fill.qty
                expected[fill.account]!.quote += fill.side == .buy ? -(fill.notionalQuote + fill.fee) : fill.notionalQuote - fill.fee
            }
        }
        var partials = 0
        for step in 0..<300 {
            let time = Int64(step) * 60_000_000
            let quote = step == 0 ? prices.current : prices.next()
            book(venue.updateQuote(symbol: Self.symbol, quote: quote, at: time))
            var taken: [Side: Quantity] = [.buy: 0, .sell: 0]
            for index in 0..<3 {
                let type: OrderType = rng.nextUnit() < 0.6 ? .market : .limit
                let side: Side = rng.next() % 2 == 0 ? .buy : .sell
                let offset = (rng.nextUnit() - 0.3) * 0.002 * side.sign
                let request = OrderRequest(
                    clientOrderId: "\(seed)-\(step)-\(index)", account: rng.next() % 2 == 0 ? "spot" : "shorty",
                    symbol: Self.symbol, side: side, type: type, qty: lots(0.05 + rng.nextUnit() * 1.5),
                    limitPrice: type == .limit ? ticks(quote.mid * (1 + offset)) : nil)
                let result = venue.submit(request, at: time)
                book(result.fills)
                let filled = result.fills.reduce(Quantity.zero) { $0 + $1.qty }
                #expect(filled == result.filledQty, "\(result.orderId)")
                if result.status == .partiallyFilled, venue.restingOrder(id: result.orderId) == nil { partials += 1 }
                if type == .market { taken[side, default: 0] += filled }
                // Each market fill is priced at a level, worse than the one before it.
                let prices = result.fills.map(\.price)
                #expect(type == .limit || prices == (side == .buy ? prices.sorted() : prices.sorted(by: >)))
            }
            #expect(taken.values.allSatisfy { $0 <= (try? Self.depth.levelQty.times(Int64(Self.depth.levels))) ?? 0 })
            for (account, balance) in expected {
                let position = try #require(venue.position(account: account, symbol: Self.symbol))
                #expect(position.base == balance.base && position.quote == balance.quote, "\(account) step \(step)")
                if account == "spot" { #expect(position.base >= 0 && position.quote >= 0) }
            }
        }
        #expect(partials > 0, "the flow should exhaust the book at least once")
    }
}
