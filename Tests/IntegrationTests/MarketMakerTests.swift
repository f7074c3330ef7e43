import AgentRuntime
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// BTC-USD simulated; ETH-USD replayed from a CSV and quoted two-sided by the hedge account;
/// every desk fill hedged on the hedge account.
let marketMakingSections = """
    "market": { "seed": 11, "tick_ms": 50, "inventory_ms": 200,
      "hedges": [ { "from": "desk", "to": "hedge" } ],
      "symbols": [
        { "symbol": "BTC-USD", "start_price": 60000, "volatility": 0.5, "min_qty": 0.0001 },
        { "symbol": "ETH-USD", "tick_size": 0.01, "replay": "\(URL(fileURLWithPath: #filePath).deletingLastPathComponent().path)/Fixtures/eth-ticks.csv",
          "quoting": { "account": "hedge", "interval_ms": 100, "spread": 0.001, "max_orders": 2, "quantity": 0.05, "max_position": 1 } } ] },
    "accounts": [
      { "name": "desk", "balances": { "USD": 70000, "BTC": 0.5, "ETH": 2 } },
      { "name": "hedge", "allow_short": true, "balances": { "USD": 70000, "BTC": 0, "ETH": 0 } } ]
    """

@Suite("MarketMaker: hedge leg, quoting, order management", .serialized, .timeLimit(.minutes(3)))
struct MarketMakerTests {
    @Test func everyDeskFillIsHedgedOnItsTraceAndTheCombinedPositionReturnsToZero() async throws {
        try await RunningTopology.run(extra: marketMakingSections) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "hedge-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint, source: "test")
            let before = try await venue.request(InventoryQuery(symbol: "BTC-USD"), trace: .root()).payload.positions
            var traces: [String] = []
            for (index, side) in [Side.buy, .sell, .buy].enumerated() {
                let trace = TraceContext.root()
                traces.append(trace.traceId)
                let order = OrderSubmit(clientOrderId: "h\(index)", account: "desk", symbol: "BTC-USD", side: side, type: .market, qty: WireDecimal(units: 1_000_000 * Int64(index + 1)))
                #expect(try await venue.request(order, trace: trace).payload.status == .filled)
            }
            let wanted = Set(traces)
            #expect(await recorder.wait(timeout: .seconds(20)) { messages in
                let hedged = messages.filter { $0.topic == "hedge.BTC-USD" }.compactMap { try? JSONEnvelopeCodec().decodeHeader(from: $0.body).traceId }
                return wanted.isSubset(of: Set(hedged))
            })
            let hedges = recorder.envelopes(EventType.hedge, as: HedgeEventPayload.self)
            for (index, traceId) in traces.enumerated() {
                let hedge = try #require(hedges.first { $0.traceId == traceId })
                #expect(hedge.payload.status == "filled")
                #expect(hedge.payload.to == "hedge")
                #expect(hedge.payload.qty == WireDecimal(units: 1_000_000 * Int64(index + 1)))
                // The hedge's own fill is on the hedge account, on the same trace, on the other side.
                let fills = recorder.envelopes(EventType.fill, as: FillPayload.self).filter { $0.traceId == traceId }.map(\.payload)
                #expect(fills.map(\.account).sorted() == ["desk", "hedge"])
                #expect(Set(fills.map(\.side)).count == 2)
            }
            let after = try await venue.request(InventoryQuery(symbol: "BTC-USD"), trace: .root()).payload.positions
            let change = { (rows: [PositionPayload], account: String) -> Int64? in rows.first { $0.account == account }?.base.units }
            let desk = try #require(change(after, "desk")) - (try #require(change(before, "desk")))
            let hedge = try #require(change(after, "hedge")) - (try #require(change(before, "hedge")))
            #expect(desk == 2_000_000)
            #expect(desk + hedge == 0)
            await loop.shutdown()
        }
    }

    @Test func theQuotedSymbolCarriesATwoSidedLadderAndPendingExposure() async throws {
        try await RunningTopology.run(extra: marketMakingSections) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "quote-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            #expect(await recorder.wait(timeout: .seconds(10)) { $0.filter { $0.topic == "quote.ETH-USD" }.count >= 3 })
            let quote = try #require(recorder.envelopes(EventType.quote, as: QuoteEventPayload.self).last?.payload)
            #expect(quote.account == "hedge")
            #expect(quote.bids.count == 2 && quote.asks.count == 2)
            #expect(quote.bids[0].price > quote.bids[1].price && quote.asks[0].price < quote.asks[1].price)
            // Level 1 sits spread × mid from the mid: the two first levels are ≈ 2 × 0.001 × 3000 apart.
            #expect(abs((quote.asks[0].price.double - quote.bids[0].price.double) - 6) < 0.5)
            #expect(quote.problem == nil)
            // The replayed market: every tick comes from the CSV's bid/ask grid.
            let ticks = recorder.envelopes(EventType.market, as: MarketTick.self).filter { $0.payload.symbol == "ETH-USD" }
            #expect(!ticks.isEmpty)
            #expect(ticks.allSatisfy { abs(($0.payload.ask - $0.payload.bid) - 1) < 1e-9 })
            // Resting quotes show as pending exposure at the venue.
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint, source: "test")
            let row = try #require(try await venue.request(InventoryQuery(symbol: "ETH-USD", account: "hedge"), trace: .root()).payload.positions.first)
            #expect((row.pendingBuy ?? 0) > 0 && (row.pendingSell ?? 0) > 0)
            let effective = row.base.units + (row.pendingBuy?.units ?? 0) - (row.pendingSell?.units ?? 0)
                #expect(row.effectiveInventory == WireDecimal(units: effective))
            await loop.shutdown()
        }
    }

    @Test func restingOrdersCanBeReplacedAndCancelledOnlyOnce() async throws {
        try await RunningTopology.run(extra: marketMakingSections) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "orders-test")
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint, source: "test")
            let far = OrderSubmit(clientOrderId: "rest-1", account: "desk", symbol: "BTC-USD", side: .buy, type: .limit, qty: 0.01, price: 30_000)
            let placed = try await venue.request(far, trace: .root()).payload
            #expect(placed.status == .open)
            let replaced = try await venue.request(OrderReplace(account: "desk", orderId: placed.orderId, price: 31_000), trace: .root()).payload
            #expect(replaced.status == .open)
            #expect(replaced.orderId != placed.orderId)
            #expect(replaced.clientOrderId == "rest-1")
            await #expect { _ = try await venue.request(OrderCancel(account: "hedge", orderId: replaced.orderId), trace: .root()) } throws: {
                ($0 as? ProtocolError)?.code == .notFound
            }
            let cancelled = try await venue.request(OrderCancel(account: "desk", orderId: replaced.orderId), trace: .root()).payload
            #expect(cancelled.status == .cancelled)
            await #expect { _ = try await venue.request(OrderCancel(account: "desk", orderId: replaced.orderId), trace: .root()) } throws: {
                ($0 as? ProtocolError)?.code == .notFound
            }
            // Nothing filled and nothing stays reserved: the quote balance is whole again.
            let row = try #require(try await venue.request(InventoryQuery(symbol: "BTC-USD", account: "desk"), trace: .root()).payload.positions.first)
            #expect(row.quote == 70_000, "the one USD balance (50,000 + 20,000 in the old per-symbol form)")
            #expect(row.pendingBuy == 0)
            let tiny = OrderSubmit(clientOrderId: "tiny", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.00001)
            #expect(try await venue.request(tiny, trace: .root()).payload.reasonCode == "below_min_size")
            await loop.shutdown()
        }
    }
}
