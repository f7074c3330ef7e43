import Testing
@testable import Trading

@Suite struct HedgeLegTests {
    static let leg = try! HedgeLeg(from: "A", to: "B")

    static func fill(_ side: Side, _ qty: Quantity, account: String = "A", orderId: String = "O-7", at time: Int64 = 42) -> Fill {
        Fill(orderId: orderId, clientOrderId: "c", account: account, symbol: "BTC-USD", side: side,
             price: 100, qty: qty, fee: 0.1, timestampMicros: time)
    }

    @Test(arguments: [(Side.buy, Side.sell), (.sell, .buy)])
    func hedgeTakesTheOppositeSideOfTheSameSize(aSide: Side, bSide: Side) throws {
        // A buy (open long) → B sell (open short); A sell (close long) → B buy (close short).
        let hedge = try #require(Self.leg.hedgeOrder(for: Self.fill(aSide, 0.0002)))
        #expect(hedge == OrderRequest(clientOrderId: "hedge-O-7-42", account: "B", symbol: "BTC-USD",
                                      side: bSide, type: .market, qty: 0.0002))
    }

    @Test func onlyFillsOfTheSourceAccountAreHedged() {
        #expect(Self.leg.hedgeOrder(for: Self.fill(.buy, 1, account: "B")) == nil)
        #expect(Self.leg.hedgeOrder(for: Self.fill(.buy, 1, account: "C")) == nil)
        #expect(Self.leg.hedgeOrder(for: Self.fill(.buy, -1)) == nil)
        #expect(Self.leg.hedgeOrder(for: Self.fill(.buy, 0)) == nil)
    }

    @Test func clientIdsAreDerivedFromTheFill() {
        let first = Self.leg.hedgeOrder(for: Self.fill(.buy, 1, at: 5))
        #expect(first?.clientOrderId == Self.leg.hedgeOrder(for: Self.fill(.buy, 1, at: 5))?.clientOrderId)
        #expect(first?.clientOrderId != Self.leg.hedgeOrder(for: Self.fill(.buy, 1, at: 6))?.clientOrderId)
        #expect(Self.leg.hedgeOrder(for: Self.fill(.buy, 1), fillNumber: 3)?.clientOrderId == "hedge-O-7-3")
    }

    @Test func aLegMustJoinTwoDifferentNamedAccounts() {
        #expect(throws: TradingError.self) { try HedgeLeg(from: "A", to: "A") }
        #expect(throws: TradingError.self) { try HedgeLeg(from: "", to: "B") }
    }

    @Test func aRetriedHedgeTradesOnce() throws {
        var venue = try Self.venue()
        let fill = try #require(venue.submit(order(.buy, 1, account: "A", id: "a1"), at: 1).fills.first)
        let hedge = try #require(Self.leg.hedgeOrder(for: fill))
        let first = venue.submit(hedge, at: 2)
        #expect(venue.submit(hedge, at: 3) == first)
        #expect(venue.position(account: "B", symbol: "BTC-USD")?.base == -1)
    }

    @Test func aHedgedBuyCostsTheSpreadAndBothTakerFees() throws {
        // Touch 99.95 / 100.05, taker fee 10 bps. A buys 1 at the ask: 100.05 + fee 0.10005.
        // The hedge sells 1 for B at the bid: 99.95 − fee 0.09995. Together A + B hold no
        // base and 100.05 − 99.95 + 0.10005 + 0.09995 = 0.3 less quote: spread plus fees.
        var venue = try Self.venue()
        let fill = try #require(venue.submit(order(.buy, 1, account: "A", id: "a1"), at: 1).fills.first)
        let hedge = try #require(Self.leg.hedgeOrder(for: fill))
        #expect(hedge.side == .sell && hedge.qty == fill.qty)
        let hedged = try #require(venue.submit(hedge, at: 1).fills.first)
        #expect(fill.price == 100.05 && fill.fee == 0.10005 && hedged.price == 99.95 && hedged.fee == 0.09995)
        let a = try #require(venue.position(account: "A", symbol: "BTC-USD"))
        let b = try #require(venue.position(account: "B", symbol: "BTC-USD"))
        #expect(a.base + b.base == 0 && a.quote == 999_899.84995 && b.quote == 1_000_099.85005)
        #expect(a.quote + b.quote == 2_000_000 - 0.3)
    }

    @Test func combinedPositionReturnsToZeroAfterEveryHedge() throws {
        var venue = try Self.venue(displayedSize: 0.4)
        var rng = SeededGenerator(seed: 2_002)
        var hedges = 0
        func combined(_ venue: SimulatedVenue) -> Quantity? {
            guard let a = venue.position(account: "A", symbol: "BTC-USD"), let b = venue.position(account: "B", symbol: "BTC-USD") else { return nil }
            return a.base + b.base
        }
        for step in 1...300 {
            let time = Int64(step)
            let mid = 100 + (rng.nextUnit() - 0.5) * 4
            var fills = venue.touch(mid - 0.05, mid + 0.05, at: time)
            let held = venue.available(account: "A", symbol: "BTC-USD")?.base ?? 0
            let side: Side = held > 0.5 && rng.nextUnit() < 0.5 ? .sell : .buy
            let qty = side == .sell ? min(held, lots(0.1 + rng.nextUnit())) : lots(0.1 + rng.nextUnit())
            let limit = rng.nextUnit() < 0.5 ? nil : ticks(mid * (1 + (rng.nextUnit() - 0.5) * 0.02))
            let request = order(side, qty, limit == nil ? .market : .limit, limit: limit, account: "A", id: "a\(step)")
            fills += venue.submit(request, at: time).fills
            // One quote update can fill several A orders at once; each hedge offsets
            // exactly its own fill, so A+B equals what is still unhedged, then zero.
            var unhedged = fills.reduce(Quantity.zero) { $1.side == .buy ? $0 + $1.qty : $0 - $1.qty }
            for fill in fills where fill.account == "A" {
                let hedge = try #require(Self.leg.hedgeOrder(for: fill))
                #expect(venue.submit(hedge, at: time).status == .filled)
                hedges += 1
                unhedged -= fill.side == .buy ? fill.qty : -fill.qty
                #expect(combined(venue) == unhedged, "A+B = \(String(describing: combined(venue))) after hedging \(fill.orderId) at step \(step)")
            }
            #expect(combined(venue) == 0, "A+B = \(String(describing: combined(venue))) after step \(step)")
        }
        #expect(hedges > 100)
    }

    /// A and B share BTC-USD; B may short. Resting orders fill `displayedSize` per update,
    /// so one A order can need several hedges.
    static func venue(displayedSize: Quantity? = nil) throws -> SimulatedVenue {
        var venue = try SimulatedVenue(
            config: VenueConfig(),
            accounts: [AccountConfig(name: "A", perSymbol: ["BTC-USD": Balance(quote: 1_000_000)]),
                       AccountConfig(name: "B", perSymbol: ["BTC-USD": Balance(quote: 1_000_000)], allowShort: true)],
            symbols: ["BTC-USD"], rules: ["BTC-USD": SymbolRules(displayedSize: displayedSize)])
        _ = venue.touch(99.95, 100.05, at: 0)
        return venue
    }
}
