import AgentRuntime
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

@Suite("MarketMaker over the wire", .serialized, .timeLimit(.minutes(3)))
struct VenueTests {
    @Test func venueRulesAndIdempotencyHoldOverReqRep() async throws {
        try await RunningTopology.run(extra: spotDeskSections) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "venue-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint, source: "test")

            // A buy needing more quote than the account holds, a sell of more base than held.
            let tooBig = try await venue.request(OrderSubmit(clientOrderId: "big", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 5), trace: .root()).payload
            #expect(tooBig.status == .rejected)
            #expect(tooBig.reasonCode == "insufficient_quote")
            #expect(tooBig.reason?.contains("holds 70000 USD") == true, "one USD balance: 50,000 + 20,000 in the old per-symbol form")
            let oversell = try await venue.request(OrderSubmit(clientOrderId: "over", account: "desk", symbol: "ETH-USD", side: .sell, type: .market, qty: 3), trace: .root()).payload
            #expect(oversell.status == .rejected)
            #expect(oversell.reasonCode == "insufficient_base")
            let unknown = try await venue.request(OrderSubmit(clientOrderId: "u", account: "nobody", symbol: "BTC-USD", side: .buy, type: .market, qty: 1), trace: .root()).payload
            #expect(unknown.reasonCode == "unknown_account")

            // The same client order id twice: one execution, the same report, one fill event.
            let order = OrderSubmit(clientOrderId: "once", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.01)
            let first = try await venue.request(order, trace: .root()).payload
            let again = try await venue.request(order, trace: .root()).payload
            #expect(first.status == .filled)
            #expect(again == first)
            let settleAt = WallClock.micros()
            #expect(await recorder.wait(timeout: .seconds(10)) { messages in
                messages.contains { $0.topic == "heartbeat.market-maker" && ((try? JSONEnvelopeCodec().decodeHeader(from: $0.body).ts) ?? 0) > settleAt }
            })
            let fills = recorder.envelopes(EventType.fill, as: FillPayload.self).map(\.payload)
            #expect(fills.map(\.clientOrderId) == ["once"])
            #expect(fills.first?.qty == 0.01)
            let row = try await venue.request(InventoryQuery(symbol: "BTC-USD", account: "desk"), trace: .root()).payload.positions
            let fill = try #require(fills.first)
            #expect(row.count == 1)
            #expect(row[0].base == 0.51)
            let notional = try Price(wire: fill.price).notional(Quantity(wire: fill.qty))
            #expect(Money(wire: row[0].quote) == 70_000 - notional - Money(wire: fill.fee))
            await loop.shutdown()
        }
    }
}
