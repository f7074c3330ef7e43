import Testing
import Trading

/// Restoring a venue from its snapshot, through the public API only, as a store would.
@Suite struct VenueRestoreTests {
    @Test(arguments: [11, 12, 13] as [UInt64])
    func restoredVenueContinuesExactlyAsTheOriginal(seed: UInt64) throws {
        var script = RestoreScript(seed: seed)
        var original = try RestoreScript.venue()
        // Run until the book holds what makes restoring hard: several orders, one part filled.
        var step = 0
        while step < 500 || !RestoreScript.isDemanding(original) {
            guard step < 5_000 else { Issue.record("no demanding book within 5000 steps"); return }
            _ = RestoreScript.apply(script.next(for: original), to: &original, at: Int64(step))
            step += 1
        }
        #expect(original.snapshot().rememberedResults.count > 100)

        var restored = try RestoreScript.venue()
        try restored.restore(original.snapshot())
        expectSameState(restored.snapshot(), original.snapshot())
        #expect(restored.openOrders == original.openOrders)
        #expect(restored.inventories() == original.inventories())

        for step in step..<step + 500 {
            let call = script.next(for: original)
            let expected = RestoreScript.apply(call, to: &original, at: Int64(step))
            let actual = RestoreScript.apply(call, to: &restored, at: Int64(step))
            #expect(actual == expected, "step \(step): \(call)")
            guard actual == expected else { break }
        }
        expectSameState(restored.snapshot(), original.snapshot())
        #expect(restored.positions == original.positions)
    }

    @Test func retriedClientOrderIdsReplayAfterRestoreAndIdsContinue() throws {
        var original = try RestoreScript.venue()
        _ = original.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 1)
        let resting = OrderRequest(clientOrderId: "a", account: "mm", symbol: "ETH-USD", side: .buy, type: .limit, qty: 1, limitPrice: 2_990)
        let taken = OrderRequest(clientOrderId: "b", account: "mm", symbol: "ETH-USD", side: .sell, type: .market, qty: 2)
        let refused = OrderRequest(clientOrderId: "c", account: "shorty", symbol: "ETH-USD", side: .buy, type: .market, qty: 1_000)
        let first = [resting, taken, refused].map { original.submit($0, at: 2) }
        #expect(first.map(\.status) == [.open, .filled, .rejected])

        var restored = try RestoreScript.venue()
        try restored.restore(original.snapshot())
        // Retries carry different quantities: the venue answers by client id, not content.
        for (request, answer) in zip([resting, taken, refused], first) {
            var retry = request
            retry.qty *= 3
            #expect(restored.submit(retry, at: 3) == answer)
        }
        #expect(restored.ordersSubmitted == 3)
        #expect(restored.openOrders.map(\.orderId) == ["O-1"])
        let next = restored.submit(OrderRequest(clientOrderId: "d", account: "mm", symbol: "ETH-USD", side: .buy, type: .market, qty: 1), at: 4)
        #expect(next.orderId == "O-4")
        // The same client id on another account is a different order.
        let otherAccount = restored.submit(OrderRequest(clientOrderId: "a", account: "shorty", symbol: "ETH-USD", side: .buy, type: .market, qty: 1), at: 5)
        #expect(otherAccount.orderId == "O-5")
    }

    @Test func equalPriceQueueOrderSurvivesShuffledRecords() throws {
        var original = try RestoreScript.venue()
        _ = original.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 1)
        for id in ["first", "second", "third"] {
            let request = OrderRequest(clientOrderId: id, account: "mm", symbol: "BTC-USD", side: .buy, type: .limit, qty: 0.4, limitPrice: 59_900)
            #expect(original.submit(request, at: 2).status == .open)
        }
        var snapshot = original.snapshot()
        snapshot.restingOrders.reverse()
        var restored = try RestoreScript.venue()
        try restored.restore(snapshot)
        // Displayed size 0.4 fills exactly one order per crossing quote: the oldest.
        let crossing = MarketQuote(bid: 59_850, ask: 59_890, last: 59_870)
        let fills = (0..<3).map { restored.updateQuote(symbol: "BTC-USD", quote: crossing, at: 10 + Int64($0)) }
        #expect(fills.map { $0.map(\.clientOrderId) } == [["first"], ["second"], ["third"]])
    }

    @Test func restoreRefusesAVenueThatHasTraded() throws {
        var original = try RestoreScript.venue()
        _ = original.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 1)
        _ = original.submit(OrderRequest(clientOrderId: "x", account: "mm", symbol: "ETH-USD", side: .buy, type: .market, qty: 1), at: 2)
        #expect(throws: TradingError.self) { try original.restore(original.snapshot()) }
    }

    @Test func aRefusedSnapshotLeavesTheVenueUntouched() throws {
        var original = try RestoreScript.venue()
        _ = original.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 1)
        _ = original.submit(OrderRequest(clientOrderId: "x", account: "mm", symbol: "ETH-USD", side: .buy, type: .limit, qty: 1, limitPrice: 2_900), at: 2)
        let good = original.snapshot()

        var broken: [(String, VenueSnapshot)] = []
        var ghost = good
        ghost.restingOrders[0].account = "ghost"
        broken.append(("unknown account", ghost))
        var beyond = good
        beyond.restingOrders[0].sequence = 2
        broken.append(("sequence beyond the counter", beyond))
        var done = good
        done.restingOrders[0].filledQty = 1
        broken.append(("nothing left to fill", done))
        var twice = good
        twice.rememberedResults.append(twice.rememberedResults[0])
        broken.append(("client id twice", twice))
        var orphaned = good
        orphaned.restingOrders = []
        broken.append(("reservation without its order", orphaned))
        var badQuote = good
        badQuote.quotes["ETH-USD"] = MarketQuote(bid: 0, ask: 3_001, last: 3_000)
        broken.append(("unusable quote", badQuote))

        for (name, snapshot) in broken {
            var venue = try RestoreScript.venue()
            let before = venue.snapshot()
            #expect(throws: TradingError.self, "\(name)") { try venue.restore(snapshot) }
            #expect(venue.snapshot() == before, "\(name)")
        }
        var venue = try RestoreScript.venue()
        try venue.restore(good)
        #expect(venue.snapshot() == good)
    }

    @Test func storedReservationsAreKeptBitForBitNotResummed() throws {
        var original = try RestoreScript.venue()
        _ = original.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 1)
        _ = original.submit(OrderRequest(clientOrderId: "b", account: "mm", symbol: "ETH-USD", side: .buy, type: .limit, qty: 2, limitPrice: 2_900), at: 2)
        var snapshot = original.snapshot()
        let index = try #require(snapshot.reservations.firstIndex { $0.account == "mm" && $0.symbol == "ETH-USD" })
        // Float residue a long history of reserves and releases can leave behind.
        snapshot.reservations[index].quote = snapshot.reservations[index].quote.nextUp
        snapshot.reservations[index].buyQty = snapshot.reservations[index].buyQty.nextDown
        var restored = try RestoreScript.venue()
        try restored.restore(snapshot)
        #expect(restored.reservedFunds(account: "mm", symbol: "ETH-USD") == snapshot.reservations[index])
        #expect(restored.reservedFunds(account: "mm", symbol: "ETH-USD") != original.reservedFunds(account: "mm", symbol: "ETH-USD"))
    }

    @Test func reservationsLeftOutAreRecomputedFromTheBook() throws {
        var original = try RestoreScript.venue()
        _ = original.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 1)
        _ = original.submit(OrderRequest(clientOrderId: "b", account: "mm", symbol: "ETH-USD", side: .buy, type: .limit, qty: 2, limitPrice: 2_900), at: 2)
        _ = original.submit(OrderRequest(clientOrderId: "s", account: "mm", symbol: "ETH-USD", side: .sell, type: .limit, qty: 3, limitPrice: 3_100), at: 3)
        var snapshot = original.snapshot()
        snapshot.reservations = []
        var restored = try RestoreScript.venue()
        try restored.restore(snapshot)
        let held = try #require(restored.reservedFunds(account: "mm", symbol: "ETH-USD"))
        // The venue's own expression: limit × qty + maker fee.
        #expect(held.quote == 2_900.0 * 2 + 2_900.0 * 2 * 5 / 10_000)
        #expect(held.base == 3)
        #expect(held.buyQty == 2)
        #expect(restored.available(account: "mm", symbol: "ETH-USD") == original.available(account: "mm", symbol: "ETH-USD"))
        // Releasing both orders frees everything, as on the original.
        _ = restored.cancel(orderId: "O-1")
        _ = restored.cancel(orderId: "O-2")
        #expect(restored.reservedFunds(account: "mm", symbol: "ETH-USD") == ReservedFunds(account: "mm", symbol: "ETH-USD"))
    }
}

/// Field by field, so a failure names the part that differs instead of printing everything.
private func expectSameState(_ actual: VenueSnapshot, _ expected: VenueSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.ordersSubmitted == expected.ordersSubmitted, sourceLocation: sourceLocation)
    #expect(actual.positions == expected.positions, sourceLocation: sourceLocation)
    #expect(actual.reservations == expected.reservations, sourceLocation: sourceLocation)
    #expect(actual.restingOrders == expected.restingOrders, sourceLocation: sourceLocation)
    #expect(actual.quotes == expected.quotes, sourceLocation: sourceLocation)
    #expect(actual.rememberedResults.count == expected.rememberedResults.count, sourceLocation: sourceLocation)
    let differing = zip(actual.rememberedResults, expected.rememberedResults).filter { $0 != $1 }.map(\.0.orderId)
    #expect(differing == [], sourceLocation: sourceLocation)
}

/// A seeded stream of venue calls over two accounts (one may short) and two symbols, one
/// with a tick grid, a minimum size and limited displayed liquidity, so a snapshot meets
/// part-filled orders, equal-price queues, retries, cancels, replaces and rejections.
struct RestoreScript {
    enum Call: Hashable {
        case quote(String, MarketQuote)
        case submit(OrderRequest)
        case cancel(String)
        case replace(String, qty: Double?, price: Double?)
    }

    enum Outcome: Hashable {
        case fills([Fill])
        case result(OrderResult?)
    }

    static let symbols = ["BTC-USD", "ETH-USD"]
    static let ticks = ["BTC-USD": 0.5, "ETH-USD": 0.01]

    static func venue() throws -> SimulatedVenue {
        try SimulatedVenue(
            config: VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 2),
            accounts: [
                AccountConfig(name: "mm", balances: ["BTC-USD": Balance(base: 1, quote: 100_000), "ETH-USD": Balance(base: 10, quote: 50_000)]),
                AccountConfig(name: "shorty", balances: ["BTC-USD": Balance(quote: 80_000), "ETH-USD": Balance(quote: 40_000)], allowShort: true),
            ],
            symbols: symbols,
            rules: ["BTC-USD": SymbolRules(tickSize: 0.5, minQty: 0.001, displayedSize: 0.4), "ETH-USD": SymbolRules(tickSize: 0.01)])
    }

    var rng: SeededGenerator
    var mids = ["BTC-USD": 60_000.0, "ETH-USD": 3_000.0]
    var sent: [OrderRequest] = []
    var count = 0

    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    /// The next call, chosen with `venue`'s book in view (the same for every venue that
    /// behaves the same, which is what the tests check).
    mutating func next(for venue: SimulatedVenue) -> Call {
        count += 1
        let symbol = Self.symbols[Int(rng.next() % 2)]
        let roll = rng.nextUnit()
        let open = venue.openOrders
        if roll < 0.3 || venue.quote(for: symbol) == nil { return .quote(symbol, movedQuote(symbol)) }
        if roll < 0.38, !open.isEmpty { return .cancel(open[Int(rng.next() % UInt64(open.count))].orderId) }
        if roll < 0.46, !open.isEmpty {
            let order = open[Int(rng.next() % UInt64(open.count))]
            let qty: Double? = rng.nextUnit() < 0.5 ? nil : size(order.symbol)
            let price: Double? = rng.nextUnit() < 0.3 ? nil : limit(order.symbol)
            return .replace(order.orderId, qty: qty, price: price)
        }
        if roll < 0.52, !sent.isEmpty { return .submit(sent[Int(rng.next() % UInt64(sent.count))]) }
        let request = newRequest(symbol)
        sent.append(request)
        return .submit(request)
    }

    /// Several resting orders, at least one of them part filled.
    static func isDemanding(_ venue: SimulatedVenue) -> Bool {
        venue.openOrders.count >= 3 && venue.openOrders.contains { $0.filledQty > 0 }
    }

    static func apply(_ call: Call, to venue: inout SimulatedVenue, at time: Int64) -> Outcome {
        switch call {
        case .quote(let symbol, let quote): .fills(venue.updateQuote(symbol: symbol, quote: quote, at: time))
        case .submit(let request): .result(venue.submit(request, at: time))
        case .cancel(let orderId): .result(venue.cancel(orderId: orderId))
        case .replace(let orderId, let qty, let price): .result(venue.replace(orderId: orderId, newQty: qty, newLimitPrice: price, at: time))
        }
    }

    private mutating func newRequest(_ symbol: String) -> OrderRequest {
        let type: OrderType = rng.nextUnit() < 0.75 ? .limit : .market
        var request = OrderRequest(
            clientOrderId: rng.nextUnit() < 0.05 ? "" : "c\(count)", account: rng.next() % 2 == 0 ? "mm" : "shorty",
            symbol: symbol, side: rng.next() % 2 == 0 ? .buy : .sell, type: type, qty: size(symbol),
            limitPrice: type == .limit ? limit(symbol) : nil)
        // A few malformed orders, never NaN: NaN ≠ NaN would make equal results look different.
        switch rng.nextUnit() {
        case ..<0.01: request.qty = [-1, 0, .infinity][Int(rng.next() % 3)]
        case ..<0.02: request.limitPrice = request.limitPrice.map { $0 + Self.ticks[symbol]! / 3 }
        case ..<0.03: request.account = "ghost"
        case ..<0.04: request.symbol = "DOGE-USD"
        default: break
        }
        return request
    }

    private mutating func size(_ symbol: String) -> Double {
        symbol == "BTC-USD" ? 0.001 + rng.nextUnit() * 0.9 : 0.01 + rng.nextUnit() * 12
    }

    private mutating func limit(_ symbol: String) -> Double {
        let tick = Self.ticks[symbol]!
        return ((mids[symbol]! * (1 + (rng.nextUnit() - 0.5) * 0.012)) / tick).rounded() * tick
    }

    private mutating func movedQuote(_ symbol: String) -> MarketQuote {
        let mid = mids[symbol]! * (1 + 0.001 * rng.nextGaussian())
        mids[symbol] = mid
        return MarketQuote(bid: mid * 0.9997, ask: mid * 1.0003, last: mid)
    }
}
