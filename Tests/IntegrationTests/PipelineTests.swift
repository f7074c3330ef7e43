import AgentRuntime
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// Markets and balances for the pipeline tests: two symbols, one account that may go short,
/// the aggressive risk preset (adding to and trading against positions allowed) with stops
/// far enough away that no exit fires while the test runs.
let pipelineSections = """
    "market": { "seed": 7, "tick_ms": 50, "symbols": [
        { "symbol": "BTC-USD", "start_price": 60000, "volatility": 0.5 },
        { "symbol": "ETH-USD", "start_price": 3000, "volatility": 0.7 } ] },
    "accounts": [ { "name": "desk", "allow_short": true, "balances": { "USD": 70000, "BTC": 0, "ETH": 0 } } ],
    "risk": { "preset": "aggressive", "stop_pct": 0.5 },
    "director": { "account": "desk", "step_timeout_ms": 6000 }
    """

/// A spot desk that starts holding base in both symbols, for the venue's own rules
/// (insufficient base, inventory limits) over the wire.
let spotDeskSections = """
    "market": { "seed": 7, "tick_ms": 50, "symbols": [
        { "symbol": "BTC-USD", "start_price": 60000, "volatility": 0.5 },
        { "symbol": "ETH-USD", "start_price": 3000, "volatility": 0.7 } ] },
    "accounts": [ { "name": "desk", "balances": { "USD": 70000, "BTC": 0.5, "ETH": 2 } } ],
    "director": { "account": "desk", "step_timeout_ms": 6000 }
    """

@Suite("Pipeline between real processes", .serialized, .timeLimit(.minutes(3)))
struct PipelineTests {
    @Test(arguments: AgentLayout.allCases)
    func everySignalGetsOneDecisionAndInventoryMatchesTheFills(layout: AgentLayout) async throws {
        try await RunningTopology.run(extra: pipelineSections, layout: layout) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "pipeline-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish)
            #expect(await publisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))

            let plan: [(String, Side, Double)] = [
                ("BTC-USD", .buy, 0.9), ("ETH-USD", .sell, 0.8), ("BTC-USD", .buy, 0.1), ("ETH-USD", .buy, 0.7),
                ("BTC-USD", .sell, 0.6), ("ETH-USD", .sell, 0.2), ("BTC-USD", .buy, 0.75), ("ETH-USD", .sell, 0.95),
                ("BTC-USD", .sell, 0.5), ("ETH-USD", .buy, 0.4), ("BTC-USD", .buy, 0.35), ("ETH-USD", .sell, 0.6),
            ]
            var signals: [Envelope<SignalPayload>] = []
            for (symbol, side, confidence) in plan {
                let signal = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                           payload: SignalPayload(symbol: symbol, side: side, confidence: confidence))
                try await publisher.publish(signal, topic: Topic.signal(symbol))
                signals.append(signal)
            }
            let ids = Set(signals.map(\.id))
            let decided = await recorder.wait(timeout: .seconds(60)) { messages in
                Set(Self.decisions(in: messages).compactMap(\.parentId)).isSuperset(of: ids)
            }
            #expect(decided, "not every signal got a decision")

            // A barrier signal per symbol: lanes are FIFO, so a duplicate decision for an earlier
            // signal would have been published before the barrier's decision.
            var barriers: [String] = []
            for symbol in ["BTC-USD", "ETH-USD"] {
                let barrier = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                            payload: SignalPayload(symbol: symbol, side: .buy, confidence: 0.05))
                try await publisher.publish(barrier, topic: Topic.signal(symbol))
                barriers.append(barrier.id)
            }
            let lastDecisionAt = WallClock.micros()
            let barrierIDs = barriers
            #expect(await recorder.wait(timeout: .seconds(30)) { messages in
                Set(Self.decisions(in: messages).compactMap(\.parentId)).isSuperset(of: barrierIDs)
            })
            // Fills are published before the decisions they lead to; a MarketMaker heartbeat sent
            // after the last decision therefore arrives after every fill.
            let settleAt = max(lastDecisionAt, WallClock.micros())
            #expect(await recorder.wait(timeout: .seconds(10)) { messages in
                messages.contains { $0.topic == "heartbeat.market-maker" && ((try? JSONEnvelopeCodec().decodeHeader(from: $0.body).ts) ?? 0) > settleAt }
            })

            let decisions = recorder.envelopes(EventType.decision, as: DecisionPayload.self)
            for signal in signals {
                let mine = decisions.filter { $0.parentId == signal.id }
                #expect(mine.count == 1, "signal \(signal.payload) got \(mine.count) decisions")
                #expect(mine.first?.traceId == signal.traceId)
                #expect(mine.first?.payload.signalId == signal.id)
            }
            let outcomes = decisions.filter { ids.contains($0.parentId ?? "") }.map(\.payload.outcome)
            #expect(outcomes.contains(.filled))
            #expect(outcomes.contains(.rejected))
            #expect(!outcomes.contains(.failed), "\(decisions.filter { $0.payload.outcome == .failed }.map(\.payload.reason))")

            // Inventory = starting balances + every published fill.
            let fills = recorder.envelopes(EventType.fill, as: FillPayload.self).map(\.payload)
            #expect(fills.count == decisions.reduce(0) { $0 + ($1.payload.fills?.count ?? 0) })
            // Balances are per asset: both symbols spend and receive the account's one USD.
            var expected: [AssetKey: AssetAmount] = [:], pairs: [String: AssetPair] = [:]
            for symbol in topology.market.symbols { pairs[symbol.symbol] = symbol.assets }
            for account in topology.accounts {
                for pair in pairs.values {
                    for asset in [pair.base, pair.quote] { expected[AssetKey(account: account.name, asset: asset)] = account.balances[asset] ?? 0 }
                }
            }
            for fill in fills {
                let pair = try #require(pairs[fill.symbol])
                let base = AssetKey(account: fill.account, asset: pair.base), quote = AssetKey(account: fill.account, asset: pair.quote)
                // Exact: the venue moves quote by the fill's notional (rounded to 1e-8) and fee.
                let qty = Quantity(wire: fill.qty), notional = try Price(wire: fill.price).notional(qty), fee = Money(wire: fill.fee)
                expected[base]! += AssetAmount(raw: (fill.side == .buy ? qty : -qty).raw)
                expected[quote]! += AssetAmount(raw: (fill.side == .buy ? -(notional + fee) : notional - fee).raw)
            }
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint, source: "test")
            let snapshot = try await venue.request(InventoryQuery(), trace: .root()).payload
            #expect(snapshot.positions.count == topology.accounts.count * pairs.count)
            for row in snapshot.positions {
                let pair = try #require(pairs[row.symbol])
                let base = try #require(expected[AssetKey(account: row.account, asset: pair.base)])
                let quote = try #require(expected[AssetKey(account: row.account, asset: pair.quote)])
                #expect(AssetAmount(raw: Quantity(wire: row.base).raw) == base, "\(row.account) \(row.symbol) base \(row.base) vs \(base)")
                #expect(AssetAmount(raw: Money(wire: row.quote).raw) == quote, "\(row.account) \(row.symbol) quote \(row.quote) vs \(quote)")
            }
            for account in snapshot.accounts ?? [] {
                for balance in account.balances {
                    #expect(expected[AssetKey(account: account.account, asset: balance.asset)] == AssetAmount(raw: Money(wire: balance.amount).raw),
                            "\(account.account) \(balance.asset)")
                }
            }
            #expect(snapshot.accounts?.count == topology.accounts.count)

            // A filled cycle's trace shows each req/rep hop from both sides; a cycle that took its
            // symbol's last analysis (it holds until the symbol's next tick) asked no `analyze`.
            let filled = try #require(decisions.first { $0.payload.outcome == .filled && ids.contains($0.parentId ?? "") })
            let hops = recorder.envelopes(EventType.trace, as: TraceEventPayload.self).filter { $0.traceId == filled.traceId }
            for type in ["assess", "execute", "order.submit"] {
                #expect(Set(hops.filter { $0.payload.requestType == type }.map(\.payload.role)) == ["client", "server"], "hops for \(type)")
            }
            let analyzeHops = Set(hops.filter { $0.payload.requestType == "analyze" }.map(\.payload.role))
            #expect(analyzeHops == ["client", "server"] || analyzeHops.isEmpty, "hops for analyze: \(analyzeHops)")
            // The RiskManager asks the MarketMaker only when its account events are behind.
            let inventoryHops = Set(hops.filter { $0.payload.requestType == "inventory.get" }.map(\.payload.role))
            #expect(inventoryHops.isEmpty || inventoryHops == ["client", "server"])

            // Every signal's analysis was asked or taken as its symbol's last report. In one process
            // the director hands every analyze request to the analyst as a value; in processes of
            // their own it sends each one.
            let analyzed = recorder.envelopes(EventType.trace, as: TraceEventPayload.self)
                .filter { $0.source == "trading-director" && $0.payload.requestType == "analyze" && $0.payload.role == "client" }.count
            let director = try await RequestClient.connect(loop: loop, peer: "trading-director",
                                                           endpoint: try topology.endpoint(of: .tradingDirector).endpoint, source: "test")
            let exposition = try await director.request(MetricsRequest(), trace: .root()).payload.exposition
            let reused = exposition.split(separator: "\n").first { $0.hasPrefix("hedgebus_director_analyses_reused_total ") }
                .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
            #expect(analyzed + reused >= signals.count, "\(analyzed) analysed, \(reused) taken as the last report")
            switch layout {
            case .oneProcess:
                #expect(exposition.contains(#"hedgebus_requests_handed_over_total{type="analyze",peer="quant-analyst"} \#(analyzed)"#),
                        "\(exposition.split(separator: "\n").filter { $0.contains("handed_over") })")
            case .processes:
                #expect(!exposition.contains("hedgebus_requests_handed_over_total"))
            }

            await loop.shutdown()
            // Graceful shutdown: every process exits 0 on SIGTERM.
            for handle in running.handles.values { running.processes.send(SIGTERM, to: handle) }
            for (name, handle) in running.handles {
                let status = await running.processes.exitStatus(handle, within: .seconds(30))
                #expect(status == 0, "\(name) exited with \(String(describing: status))")
            }
        }
    }

    static func decisions(in messages: [BusMessage]) -> [Envelope<OpaquePayload>] {
        let codec = JSONEnvelopeCodec()
        return messages.filter { $0.topic.hasPrefix("decision.") }.compactMap { try? codec.decodeHeader(from: $0.body) }
    }
}
