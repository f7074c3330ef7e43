import Trading
import Agents
import AgentsTesting
import Configuration
import Foundation
import Testing
import WireFormat
import WireProtocol

@Suite("Venue market depth and client order id reuse", .timeLimit(.minutes(1)))
struct VenueDepthTests {
    /// BTC-USD with three depth levels of 0.05 a side, 10 bps apart, read from topology JSON.
    static func market(unfilled: String) throws -> MarketSection {
        let json = """
            {"symbols": [{"symbol": "BTC-USD",
                          "depth": {"levels": 3, "level_qty": 0.05, "step_bps": 10, "unfilled": "\(unfilled)"}}]}
            """
        return try JSONDecoder().decode(MarketSection.self, from: Data(json.utf8))
    }

    @Test("a large market order through the agent gets one fill per level, the rest cancelled, each fill published")
    func aLargeOrderWalksTheBook() async throws {
        let harness = try VenueHarness(market: Self.market(unfilled: "cancel"))
        let report = try await harness.venue.submit(orderRequest("big", qty: 0.2))
        #expect(report.status == .partiallyFilled && report.filledQty == 0.15 && report.reasonCode == "insufficient_depth")
        #expect(report.fills.map(\.qty) == [0.05, 0.05, 0.05])
        let ask = Price(wire: try #require(report.fills.first?.price))
        // Level i is ask × (1 + i × 10 bps), rounded up to 1e-8; the fee is 10 bps of the notional, rounded up.
        let expected = try [ask, ask.scaled(by: 100_100_000, over: 100_000_000, .up), ask.scaled(by: 100_200_000, over: 100_000_000, .up)]
        #expect(report.fills.map { Price(wire: $0.price) } == expected)
        for fill in report.fills {
            let notional = try Price(wire: fill.price).notional(Quantity(wire: fill.qty))
            #expect(Money(wire: fill.fee) == (try notional.scaled(by: 10, over: 10_000, .up)))
        }
        let published = try harness.publisher.events.filter { $0.type == EventType.fill }.map { try $0.decoded(as: FillPayload.self).payload.price }
        #expect(published == report.fills.map(\.price))
    }

    @Test("in reject mode an order the book cannot fill whole is rejected with insufficient_depth")
    func rejectMode() async throws {
        let harness = try VenueHarness(market: Self.market(unfilled: "reject"))
        let report = try await harness.venue.submit(orderRequest("big", qty: 0.2))
        #expect(report.status == .rejected && report.fills.isEmpty && report.reasonCode == "insufficient_depth")
        #expect(try await harness.venue.submit(orderRequest("fits", qty: 0.15)).fills.count == 3)
    }

    @Test("a client order id reused with a different quantity is rejected with duplicate_client_order_id")
    func reusedClientOrderId() async throws {
        let harness = try VenueHarness()
        let first = try await harness.venue.submit(orderRequest("same", qty: 0.1))
        let reused = try await harness.venue.submit(orderRequest("same", qty: 0.3))
        #expect(reused.status == .rejected && reused.reasonCode == "duplicate_client_order_id")
        #expect(reused.reason?.contains("with qty 0.1; this order has qty 0.3") == true)
        #expect(reused.orderId != first.orderId && reused.fills.isEmpty)
        // The first result again, with the account's version now (the rejection counted one).
        var replayed = try await harness.venue.submit(orderRequest("same", qty: 0.1))
        #expect(replayed.accountVersion == reused.accountVersion && reused.accountVersion ?? 0 > first.accountVersion ?? 0)
        replayed.accountVersion = first.accountVersion
        #expect(replayed == first)
        let positions = try await harness.venue.inventory(request(InventoryQuery(account: "desk"))).positions
        #expect(positions.first?.base == first.filledQty)
    }
}
