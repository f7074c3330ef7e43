import Testing
import Trading
import VenueTesting

/// Restoring a venue from its snapshot, through the public API only, as a store would.
@Suite struct VenueRestoreTests {
    @Test(arguments: [11, 12, 13] as [UInt64])
    func restoredVenueContinuesExactlyAsTheOriginal(seed: UInt64) throws {
        var script = VenueScript(seed: seed)
        var original = try VenueScript.venue()
        // Run until the book holds what makes restoring hard: several orders, one part filled.
        var step = 0
        while step < 500 || !VenueScript.isDemanding(original) {
            guard step < 5_000 else { Issue.record("no demanding book within 5000 steps"); return }
            _ = VenueScript.apply(script.next(for: original), to: &original, at: Int64(step))
            step += 1
        }
        #expect(original.snapshot().rememberedResults.count > 100)

        var restored = try VenueScript.venue()
        try restored.restore(original.snapshot())
        expectSameState(restored.snapshot(), original.snapshot())
        #expect(restored.openOrders == original.openOrders)
        #expect(restored.inventories() == original.inventories())

        for step in step..<step + 500 {
            let call = script.next(for: original)
            let expected = VenueScript.apply(call, to: &original, at: Int64(step))
            let actual = VenueScript.apply(call, to: &restored, at: Int64(step))
            #expect(actual == expected, "step \(step): \(call)")
            guard actual == expected else { break }
        }
        expectSameState(restored.snapshot(), original.snapshot())
        #expect(restored.positions == original.positions)
    }

    @Test func retriedClientOrderIdsReplayAfterRestoreAndIdsContinue() throws {
        var original = try VenueScript.venue()
        _ = original.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 1)
        let resting = OrderRequest(clientOrderId: "a", account: "mm", symbol: "ETH-USD", side: .buy, type: .limit, qty: 1, limitPrice: 2_990)
        let taken = OrderRequest(clientOrderId: "b", account: "mm", symbol: "ETH-USD", side: .sell, type: .market, qty: 2)
        let refused = OrderRequest(clientOrderId: "c", account: "shorty", symbol: "ETH-USD", side: .buy, type: .market, qty: 1_000)
        let first = [resting, taken, refused].map { original.submit($0, at: 2) }
        #expect(first.map(\.status) == [.open, .filled, .rejected])

        var restored = try VenueScript.venue()
        try restored.restore(original.snapshot())
        // Identical retries replay the first results; nothing executes.
        for (request, answer) in zip([resting, taken, refused], first) {
            #expect(restored.submit(request, at: 3) == answer)
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
        var original = try VenueScript.venue()
        _ = original.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 1)
        for id in ["first", "second", "third"] {
            let request = OrderRequest(clientOrderId: id, account: "mm", symbol: "BTC-USD", side: .buy, type: .limit, qty: 0.4, limitPrice: 59_900)
            #expect(original.submit(request, at: 2).status == .open)
        }
        var snapshot = original.snapshot()
        snapshot.restingOrders.reverse()
        var restored = try VenueScript.venue()
        try restored.restore(snapshot)
        // Displayed size 0.4 fills exactly one order per crossing quote: the oldest.
        let crossing = MarketQuote(bid: 59_850, ask: 59_890, last: 59_870)
        let fills = (0..<3).map { restored.updateQuote(symbol: "BTC-USD", quote: crossing, at: 10 + Int64($0)) }
        #expect(fills.map { $0.map(\.clientOrderId) } == [["first"], ["second"], ["third"]])
    }

    @Test func restoreRefusesAVenueThatHasTraded() throws {
        var original = try VenueScript.venue()
        _ = original.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 1)
        _ = original.submit(OrderRequest(clientOrderId: "x", account: "mm", symbol: "ETH-USD", side: .buy, type: .market, qty: 1), at: 2)
        #expect(throws: TradingError.self) { try original.restore(original.snapshot()) }
    }

    @Test func aRefusedSnapshotLeavesTheVenueUntouched() throws {
        var original = try VenueScript.venue()
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
            var venue = try VenueScript.venue()
            let before = venue.snapshot()
            #expect(throws: TradingError.self, "\(name)") { try venue.restore(snapshot) }
            #expect(venue.snapshot() == before, "\(name)")
        }
        var venue = try VenueScript.venue()
        try venue.restore(good)
        #expect(venue.snapshot() == good)
    }

    @Test func storedReservationsMustEqualTheRestingOrdersExactly() throws {
        var original = try VenueScript.venue()
        _ = original.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 1)
        _ = original.submit(OrderRequest(clientOrderId: "b", account: "mm", symbol: "ETH-USD", side: .buy, type: .limit, qty: 2, limitPrice: 2_900), at: 2)
        var snapshot = original.snapshot()
        let index = try #require(snapshot.reservations.firstIndex { $0.account == "mm" && $0.symbol == "ETH-USD" })
        var restored = try VenueScript.venue()
        try restored.restore(snapshot)
        #expect(restored.reservedFunds(account: "mm", symbol: "ETH-USD") == original.reservedFunds(account: "mm", symbol: "ETH-USD"))
        // Amounts are exact, so one unit of 1e-8 off the book's sum is a different reservation.
        snapshot.reservations[index].quote += Money(raw: 1)
        var refused = try VenueScript.venue()
        #expect(throws: TradingError.self) { try refused.restore(snapshot) }
    }

    @Test func reservationsLeftOutAreRecomputedFromTheBook() throws {
        var original = try VenueScript.venue()
        _ = original.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 1)
        _ = original.submit(OrderRequest(clientOrderId: "b", account: "mm", symbol: "ETH-USD", side: .buy, type: .limit, qty: 2, limitPrice: 2_900), at: 2)
        _ = original.submit(OrderRequest(clientOrderId: "s", account: "mm", symbol: "ETH-USD", side: .sell, type: .limit, qty: 3, limitPrice: 3_100), at: 3)
        var snapshot = original.snapshot()
        snapshot.reservations = []
        var restored = try VenueScript.venue()
        try restored.restore(snapshot)
        let held = try #require(restored.reservedFunds(account: "mm", symbol: "ETH-USD"))
        // The venue's own expression: limit × qty + maker fee.
        #expect(held.quote == 5_802.9)
        #expect(held.base == 3)
        #expect(held.buyQty == 2)
        #expect(restored.available(account: "mm", symbol: "ETH-USD") == original.available(account: "mm", symbol: "ETH-USD"))
        // Releasing both orders frees everything, as on the original.
        _ = restored.cancel(orderId: "O-1")
        _ = restored.cancel(orderId: "O-2")
        #expect(restored.reservedFunds(account: "mm", symbol: "ETH-USD") == ReservedFunds(account: "mm", symbol: "ETH-USD"))
    }
}
