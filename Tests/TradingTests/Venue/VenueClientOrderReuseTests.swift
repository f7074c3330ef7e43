import Foundation
import Testing
@testable import Trading

/// A client order id names one order: an identical retry replays it, a reuse for a different
/// order is rejected naming the term that differs, before and after a restore.
@Suite struct VenueClientOrderReuseTests {
    /// The first order of every case: a limit buy of 1 at 90 that rests (bid 99 / ask 101).
    static let first = order(.buy, 1, .limit, limit: 90, id: "c-1")

    static func venue() throws -> SimulatedVenue {
        try quotedVenue(Balance(base: 5, quote: 10_000), bid: 99, ask: 101)
    }

    @Test func anIdenticalRetryReplaysTheFirstResultAndExecutesNothing() throws {
        var venue = try Self.venue()
        let market = order(.buy, 0.5, id: "m-1")
        let results = [venue.submit(market, at: 1), venue.submit(Self.first, at: 2)]
        let position = venue.position(account: "desk", symbol: "BTC-USD")
        _ = venue.touch(98, 100, at: 3)
        #expect(venue.submit(market, at: 4) == results[0])
        #expect(venue.submit(Self.first, at: 5) == results[1])
        #expect(venue.ordersSubmitted == 2)
        #expect(venue.openOrders.count == 1)
        #expect(venue.position(account: "desk", symbol: "BTC-USD") == position)
    }

    @Test(arguments: [
        ("symbol", order(.buy, 1, .limit, limit: 90, symbol: "ETH-USD", id: "c-1"), "symbol BTC-USD; this order has symbol ETH-USD"),
        ("side", order(.sell, 1, .limit, limit: 90, id: "c-1"), "side buy; this order has side sell"),
        ("type", order(.buy, 1, .market, id: "c-1"), "type limit; this order has type market"),
        ("qty", order(.buy, 2, .limit, limit: 90, id: "c-1"), "qty 1; this order has qty 2"),
        ("limit price", order(.buy, 1, .limit, limit: 91, id: "c-1"), "limit price 90; this order has limit price 91"),
        ("missing limit price", order(.buy, 1, .limit, id: "c-1"), "limit price 90; this order has limit price none"),
    ])
    func aReuseWithADifferentTermIsRejectedNamingIt(_ name: String, _ reuse: OrderRequest, _ wording: String) throws {
        var venue = try Self.venue()
        let first = venue.submit(Self.first, at: 1)
        let position = venue.position(account: "desk", symbol: "BTC-USD")
        let refused = venue.submit(reuse, at: 2)
        #expect(refused.status == .rejected, "\(name)")
        #expect(refused.rejection?.code == .duplicateClientOrderId, "\(name)")
        #expect(refused.rejection?.message.hasSuffix("was used for order O-1 with \(wording)") == true, "\(refused.rejection?.message ?? "")")
        #expect(refused.orderId == "O-2" && refused.fills.isEmpty && refused.clientOrderId == "c-1")
        // Nothing executed, and the first result is still the one an identical retry gets.
        #expect(venue.position(account: "desk", symbol: "BTC-USD") == position)
        #expect(venue.openOrders.map(\.orderId) == ["O-1"])
        #expect(venue.submit(Self.first, at: 3) == first)
    }

    @Test func aMarketOrdersIgnoredLimitPriceIsNotCompared() throws {
        var venue = try Self.venue()
        let first = venue.submit(order(.buy, 0.5, id: "m"), at: 1)
        #expect(venue.submit(order(.buy, 0.5, limit: 123, id: "m"), at: 2) == first)
        #expect(venue.ordersSubmitted == 1)
    }

    @Test func aRejectedFirstOrderIsComparedToo() throws {
        var venue = try Self.venue()
        let first = venue.submit(order(.buy, 1_000, id: "big"), at: 1)
        #expect(first.rejection?.code == .insufficientQuote)
        #expect(venue.submit(order(.buy, 1_000, id: "big"), at: 2) == first)
        let smaller = venue.submit(order(.buy, 1, id: "big"), at: 3)
        #expect(smaller.rejection?.code == .duplicateClientOrderId)
        #expect(smaller.rejection?.message.contains("qty 1000; this order has qty 1") == true)
        #expect(venue.position(account: "desk", symbol: "BTC-USD")?.quote == 10_000)
    }

    /// What a MarketMaker restart does: the snapshot goes through a store (here JSON, as the
    /// ledger keeps results) into a fresh venue, whose checks must be the same.
    @Test func theCheckWorksAfterSnapshotAndRestore() throws {
        var original = try Self.venue()
        let market = order(.sell, 0.5, id: "m-1")
        let firsts = [original.submit(market, at: 1), original.submit(Self.first, at: 2),
                      original.submit(order(.buy, 1, .limit, limit: 102, id: "crossing"), at: 3)]
        #expect(firsts.map(\.status) == [.filled, .open, .filled])
        let stored = try JSONDecoder().decode(VenueSnapshot.self, from: JSONEncoder().encode(original.snapshot()))
        var restored = try makeVenue([AccountConfig(name: "desk", perSymbol: ["BTC-USD": Balance(base: 5, quote: 10_000)])])
        try restored.restore(stored)
        _ = restored.touch(99, 101, at: 4)
        let position = restored.position(account: "desk", symbol: "BTC-USD")
        #expect(restored.submit(market, at: 5) == firsts[0])
        #expect(restored.submit(Self.first, at: 5) == firsts[1])
        #expect(restored.submit(order(.buy, 1, .limit, limit: 102, id: "crossing"), at: 5) == firsts[2])
        let reuses = [order(.sell, 0.6, id: "m-1"), order(.buy, 1, .limit, limit: 89, id: "c-1"),
                      order(.buy, 1, .limit, limit: 103, id: "crossing")]
        let refused = reuses.map { restored.submit($0, at: 6) }
        #expect(refused.map(\.rejection?.code) == Array(repeating: .duplicateClientOrderId, count: 3))
        #expect(refused.map(\.orderId) == ["O-4", "O-5", "O-6"])
        #expect(refused[1].rejection?.message.contains("limit price 90; this order has limit price 89") == true)
        #expect(restored.position(account: "desk", symbol: "BTC-USD") == position)
    }
}
