import AgentRuntime
import Configuration
import Foundation
import HedgeBusTesting
import Ledger
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// A scripted market (replay files followed as the test appends rows) and scripted signals,
/// through the five agents as real processes: every risk limit refuses one signal, and the
/// positions that do open leave by take-profit (three scale-outs) and by stop-loss.
///
/// Capital is 100,000 over three quote assets (base 0 everywhere): 95,000 USD shared by BTC,
/// ETH, SOL and ADA, 5,000 USDT for XRP-USDT (so XRP is sized by its cash) and no EUR, so
/// DOGE-EUR has nothing to buy with.
@Suite("Risk limits and exits over a scripted market", .serialized, .timeLimit(.minutes(3)))
struct RiskScenarioTests {
    /// ATR 0.1: mids alternate 100.10 / 100.00. ATR 10: mids alternate 110 / 100.
    static let calm = ["BTC-USD", "ADA-USD", "XRP-USDT", "DOGE-EUR"]
    static let volatile = ["ETH-USD", "SOL-USD"]
    /// Traded by nobody; its mid rises by one per row, so the analysis's last price names the
    /// last row the QuantAnalyst has heard. Listed last, so each tick publishes it last.
    static let clock = "CLOCK-USD"
    static let warmUp = 40

    static func sections(_ script: ReplayScript) -> String {
        """
        "market": { "tick_ms": 20, "taker_fee_bps": 10, "maker_fee_bps": 5, "slippage_bps": 0, "symbols": [
            \((calm + volatile + [clock]).map { script.symbolEntry($0) }.joined(separator: ",\n    ")) ] },
        "accounts": [ { "name": "desk", "allow_short": true, "balances": { "USD": 95000, "USDT": 5000, "EUR": 0 } } ],
        "analyst": { "ticks_per_bar": 1, "atr_period": 14, "window": 200 },
        "risk": { "preset": "standard", "min_confidence": 0.3, "max_position_size_pct": 0.3, "max_total_exposure_pct": 0.6,
                  "max_concurrent_positions": 3, "risk_per_trade_pct": 0.015, "max_portfolio_heat_pct": 0.03,
                  "stop_atr_multiplier": 2 },
        "director": { "account": "desk", "step_timeout_ms": 6000, "contradiction_threshold": 0.99 }
        """
    }

    /// The signals, one at a time, and what each must come to: "filled" or the limit refusing it.
    /// Entry = the analysis's last price, 100; fills at the ask, 100.01, with a 10 bps fee.
    ///  1. BTC: capital 100,000, stop 100 − 2 × 0.1 = 99.8; by risk 1,500 / 0.2 = 7,500, by size
    ///     30,000 / 100 = 300, by cash 35,000 / 1.0025 / 100 ≈ 349 → 300 by maxPositionSizePct,
    ///     targets 100.4 / 100.6 / 100.8 (2R/3R/4R) for 150 / 90 / 60, leverage 12 (0.8 in 10–20x).
    ///  2./3. A second BTC buy is pyramiding, a BTC sell hedging.
    ///  4. ETH: capital 100,000 − 3 (spread) − 30.003 (fee) = 99,966.997, stop 100 − 20 = 80;
    ///     by risk 1,499.5 / 20 = 74.975 (< by cash 149.6, by size 299.9) → riskPerTradePct.
    ///  5. SOL: heat = BTC 300 × (100.01 − 99.8) = 63 + ETH 74.975 × 20.01 = 1,500.3, + SOL
    ///     1,499.4 new = 3,062.6 / 99,958.75 = 3.06 % > 3 %.
    ///  6. ADA: by size 0.3 × 99,958.75 / 100 = 299.876 (cash, 57,496 USD left, allows 573);
    ///     exposure (30,003 + 7,498.3 + 29,987.6) / 99,958.75 = 67.52 % > 60 % (heat would pass).
    ///  7. DOGE: no EUR → nothing to buy with.
    ///  8. XRP: by cash 5,000 / 1.0025 / 100 = 49.8753; costs 49.8753 × 100.01 × 1.001 = 4,993.02.
    ///  9. ADA again: BTC, ETH, XRP open = 3, the maximum.  10. Confidence 0.1 < 0.3.
    static let steps: [(symbol: String, side: Side, confidence: Double, expected: String)] = [
        ("BTC-USD", .buy, 0.8, "filled"), ("BTC-USD", .buy, 0.8, "allowPyramiding"), ("BTC-USD", .sell, 0.8, "allowHedging"),
        ("ETH-USD", .buy, 0.8, "filled"), ("SOL-USD", .buy, 0.8, "maxPortfolioHeatPct"), ("ADA-USD", .buy, 0.8, "maxTotalExposurePct"),
        ("DOGE-EUR", .buy, 0.8, "cash"), ("XRP-USDT", .buy, 0.8, "filled"), ("ADA-USD", .buy, 0.8, "maxConcurrentPositions"),
        ("BTC-USD", .buy, 0.1, "minConfidence"),
    ]

    /// The value of the counter line starting with `series` in a Prometheus exposition; 0 when absent.
    static func counter(_ series: String, in exposition: String) -> Int {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Double($0.dropFirst(series.count + 1)) }.map { Int($0) } ?? 0
    }

    @Test func scriptedMarketAndSignalsGiveTheExpectedDecisionsAndExits() async throws {
        var opening = Dictionary(uniqueKeysWithValues: (Self.calm + Self.volatile).map { ($0, 100.0) })
        opening[Self.clock] = 1_000
        let script = try ReplayScript(opening: opening)
        defer { script.remove() }
        try await RunningTopology.run(extra: Self.sections(script)) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "risk-scenario-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            func client(_ agent: AgentName) async throws -> RequestClient {
                try await RequestClient.connect(loop: loop, peer: agent.rawValue, endpoint: try topology.endpoint(of: agent).endpoint, source: "test")
            }
            let analyst = try await client(.quantAnalyst)
            @Sendable func analysis(_ symbol: String) async throws -> AnalysisReport {
                try await analyst.request(AnalyzeRequest(symbol: symbol, side: .buy), trace: .root()).payload
            }
            @Sendable func clockAt(_ mid: Double) async throws -> Bool? { abs((try await analysis(Self.clock).lastPrice ?? 0) - mid) < 1e-6 ? true : nil }

            // Handshake 1: a clock row at a time until the QuantAnalyst has heard one, so it hears
            // every row from here on. Handshake 2: the warm-up rows, then as many clock rows; every
            // symbol takes one row per tick and the clock is published last in a tick, so once the
            // analyst has the last clock row it has every warm-up row of every symbol.
            var clockMid = 1_000.0, hearing = false
            for _ in 0..<30 where !hearing {
                clockMid += 1
                try script.append(Self.clock, mids: [clockMid])
                let mid = clockMid
                hearing = (try? await eventually("clock row \(mid)", timeout: .seconds(1)) { try await clockAt(mid) }) ?? false
            }
            try #require(hearing, "the QuantAnalyst never heard a market tick")
            for symbol in Self.calm { try script.append(symbol, mids: ReplayScript.alternation(low: 100, step: 0.1, count: Self.warmUp)) }
            for symbol in Self.volatile { try script.append(symbol, mids: ReplayScript.alternation(low: 100, step: 10, count: Self.warmUp)) }
            try script.append(Self.clock, mids: (1...Self.warmUp).map { clockMid + Double($0) })
            let lastClock = clockMid + Double(Self.warmUp)
            _ = try await eventually("the warm-up heard by the QuantAnalyst", timeout: .seconds(30)) { try await clockAt(lastClock) }
            // Wilder's ATR of constant true ranges d is d (1-tick bars: TR = |Δmid|).
            for symbol in Self.calm + Self.volatile {
                let report = try await analysis(symbol)
                #expect(report.sampleCount == Self.warmUp, "\(symbol)")
                #expect(near(report.atr, Self.calm.contains(symbol) ? 0.1 : 10, 1e-9), "\(symbol) ATR \(String(describing: report.atr))")
                #expect(near(report.lastPrice, 100, 1e-9), "\(symbol)")
            }

            // The signals, each decided before the next is sent.
            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish)
            try #require(await publisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))
            var decided: [(signal: Envelope<SignalPayload>, decision: Envelope<DecisionPayload>)] = []
            for step in Self.steps {
                let signal = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                           payload: SignalPayload(symbol: step.symbol, side: step.side, confidence: step.confidence))
                try await publisher.publish(signal, topic: Topic.signal(step.symbol))
                let id = signal.id
                try #require(await recorder.wait(timeout: .seconds(20)) { Self.decisions(in: $0).contains { $0.parentId == id } },
                             "no decision for \(step.symbol) \(step.side.rawValue) \(step.confidence)")
                let decision = try #require(Self.decisions(in: recorder.messages).first { $0.parentId == id })
                #expect(decision.traceId == signal.traceId)
                decided.append((signal, decision))
            }
            let observed = decided.map { "\($0.decision.payload.symbol) \($0.decision.payload.outcome.rawValue) \($0.decision.payload.risk?.limit ?? "-")" }
            #expect(observed == Self.steps.map { "\($0.symbol) " + ($0.expected == "filled" ? "filled -" : "rejected \($0.expected)") },
                    "\(decided.map(\.decision.payload.reason))")
            try #require(decided.count == Self.steps.count)
            let verdicts = decided.map { $0.decision.payload.risk }

            // Every limit above fired on its signal although the RiskManager took the account from
            // the venue's account events for most of them rather than asking the MarketMaker.
            let exposition = try await client(.riskManager).request(MetricsRequest(), trace: .root()).payload.exposition
            let fromEvents = Self.counter(#"hedgebus_risk_account_reads_total{source="event"}"#, in: exposition)
            let fromVenue = Self.counter(#"hedgebus_risk_account_reads_total{source="venue"}"#, in: exposition)
            #expect(fromEvents + fromVenue == Self.steps.count && fromEvents > fromVenue, "events \(fromEvents), venue \(fromVenue)")

            let btc = decided[0], eth = decided[3], xrp = decided[7]
            let btcPlan = try #require(btc.decision.payload.risk?.plan)
            #expect(btcPlan.sizedBy == "maxPositionSizePct")
            #expect(near(btc.decision.payload.filledQty, 300) && near(btc.decision.payload.avgPrice, 100.01))
            #expect(near(btcPlan.stopPrice, 99.8) && btcPlan.leverage == 12 && near(btcPlan.capital, 100_000))
            #expect(btcPlan.targets.count == 3)
            for (target, want) in zip(btcPlan.targets, [(100.4, 150.0), (100.6, 90.0), (100.8, 60.0)]) {
                #expect(near(target.price, want.0) && near(target.qty, want.1), "\(target)")
            }
            #expect(btcPlan.assumedStops.isEmpty)
            let ethPlan = try #require(eth.decision.payload.risk?.plan)
            #expect(ethPlan.sizedBy == "riskPerTradePct")
            #expect(near(ethPlan.capital, 99_966.997) && near(ethPlan.stopPrice, 80))
            #expect(near(eth.decision.payload.risk?.qty, ethPlan.capital.double * 0.015 / 20) && near(eth.decision.payload.filledQty, 74.975_247_75))
            #expect(near(ethPlan.riskPct, 0.015) && ethPlan.assumedStops.isEmpty)
            let heat = try #require(verdicts[4])
            #expect(heat.allowed == 0.03 && (heat.observed ?? 0) > 0.03 && near(heat.observed, 0.030_639, 1e-5), "\(heat.reason)")
            #expect(heat.reason.contains("3.06%") && heat.reason.contains("3.00%"), "\(heat.reason)")
            let exposure = try #require(verdicts[5])
            #expect(exposure.allowed == 0.6 && near(exposure.observed, 0.675_17, 1e-4), "\(exposure.reason)")
            #expect(exposure.reason.contains("67.52%") && exposure.reason.contains("60.00%"), "\(exposure.reason)")
            #expect(verdicts[6]?.observed == 0, "\(verdicts[6]?.reason ?? "")")
            let xrpPlan = try #require(xrp.decision.payload.risk?.plan)
            #expect(xrpPlan.sizedBy == "cash" && near(xrp.decision.payload.filledQty, 5_000 / 1.0025 / 100))
            #expect(verdicts[8]?.observed == 3 && verdicts[8]?.allowed == 3)
            #expect(verdicts[9]?.observed == 0.1 && verdicts[9]?.allowed == 0.3)

            // Exits: BTC's bid crosses each target in turn (longs are judged at the bid), then
            // ETH's bid falls through its stop.
            let btcID = btc.signal.id, ethID = eth.signal.id
            for (index, mid) in [100.45, 100.65, 100.85].enumerated() {
                try script.append("BTC-USD", mids: [mid])
                try #require(await recorder.wait(timeout: .seconds(20)) { messages in
                    Self.exits(in: messages).contains { $0.payload.exit?.openingSignalId == btcID && $0.payload.exit?.targetIndex == index }
                }, "no take-profit \(index + 1) decision at mid \(mid)")
            }
            try script.append("ETH-USD", mids: [79])
            try #require(await recorder.wait(timeout: .seconds(20)) { messages in
                Self.exits(in: messages).contains { $0.payload.exit?.openingSignalId == ethID }
            }, "no stop-loss decision at mid 79")

            let exits = Self.exits(in: recorder.messages)
            let btcExits = exits.filter { $0.payload.exit?.openingSignalId == btcID }.map(\.payload)
            #expect(btcExits.map { "\($0.outcome.rawValue) \($0.exit?.reason ?? "-") \($0.exit?.targetIndex ?? -1)" }
                    == ["filled take_profit 0", "filled take_profit 1", "filled take_profit 2"], "\(btcExits.map(\.reason))")
            for (exit, want) in zip(btcExits, [(150.0, 150.0, 100.44), (90.0, 60.0, 100.64), (60.0, 0.0, 100.84)]) {
                #expect(near(exit.filledQty, want.0) && near(exit.exit?.remainingAfter, want.1) && near(exit.avgPrice, want.2), "\(exit.reason)")
            }
            #expect(btcExits.reduce(0) { $0 + ($1.filledQty?.units ?? 0) } == btc.decision.payload.filledQty?.units)
            let ethExits = exits.filter { $0.payload.exit?.openingSignalId == ethID }.map(\.payload)
            #expect(ethExits.count == 1 && ethExits.first?.outcome == .filled && ethExits.first?.exit?.reason == "stop_loss")
            #expect(ethExits.first?.filledQty == eth.decision.payload.filledQty && near(ethExits.first?.exit?.triggerPrice, 80))
            #expect(near(ethExits.first?.avgPrice, 78.99) && ethExits.first?.exit?.remainingAfter == 0)
            #expect(exits.count == 4, "\(exits.map(\.payload.reason))")

            // Each exit is a cycle of its own: the exit event roots a new trace, parented by the
            // opening signal, and its one decision is on that trace.
            let events = recorder.envelopes(EventType.exit, as: ExitPayload.self)
            #expect(events.count == 4 && Set(events.map(\.traceId)).count == 4)
            for event in events {
                let opening = event.payload.openingSignalId == btcID ? btc.signal : eth.signal
                #expect(event.parentId == opening.id && event.traceId != opening.traceId && event.payload.openingTraceId == opening.traceId)
                let mine = exits.filter { $0.payload.signalId == event.id }
                #expect(mine.count == 1 && mine.first?.traceId == event.traceId && mine.first?.parentId == event.id)
            }

            // The venue and the director agree: BTC and ETH flat, XRP still long.
            let rows = try await client(.marketMaker).request(InventoryQuery(account: "desk"), trace: .root()).payload.positions
            func base(_ symbol: String) -> WireDecimal? { rows.first { $0.symbol == symbol }?.base }
            #expect(base("BTC-USD") == 0 && base("ETH-USD") == 0, "\(rows.map { "\($0.symbol) \($0.base)" })")
            #expect(base("XRP-USDT") == xrp.decision.payload.filledQty)
            let watched = try await client(.tradingDirector).request(OpenPositionsQuery(), trace: .root()).payload.positions
            #expect(watched.map(\.symbol) == ["XRP-USDT"])

            // Closed trades are recorded before the exit's decision; snapshots come every second.
            let store = try await eventually("a portfolio snapshot in \(running.analyticsPath)", timeout: .seconds(10)) { () -> AnalyticsStore? in
                let store = try AnalyticsStore(path: running.analyticsPath, readOnly: true)
                return try store.snapshotCount(account: "desk") > 0 ? store : nil
            }
            let trades = try store.trades(account: "desk")
            let btcTrades = trades.filter { $0.trade.symbol == "BTC-USD" }, ethTrades = trades.filter { $0.trade.symbol == "ETH-USD" }
            #expect(trades.count == 4)
            #expect(btcTrades.count == 3 && btcTrades.allSatisfy { $0.exitReason == "take_profit" && $0.netPnl > 0 && $0.openingSignalId == btcID })
            #expect(btcTrades.reduce(Quantity.zero) { $0 + $1.trade.qty } == 300)
            #expect(ethTrades.count == 1 && ethTrades.allSatisfy { $0.exitReason == "stop_loss" && $0.netPnl < 0 && $0.openingSignalId == ethID })
            #expect(ethTrades.first?.trade.qty.wire == eth.decision.payload.filledQty)
            await loop.shutdown()
        }
    }

    static func decisions(in messages: [BusMessage]) -> [Envelope<DecisionPayload>] {
        let codec = JSONEnvelopeCodec()
        return messages.filter { $0.topic.hasPrefix("decision.") }.compactMap { try? codec.decode(DecisionPayload.self, from: $0.body) }
    }

    /// The decisions of exit cycles.
    static func exits(in messages: [BusMessage]) -> [Envelope<DecisionPayload>] {
        decisions(in: messages).filter { $0.payload.stage == "exit" }
    }
}

/// |value − expected| ≤ tolerance; false for nil.
func near(_ value: Double?, _ expected: Double, _ tolerance: Double = 1e-6) -> Bool {
    guard let value else { return false }
    return abs(value - expected) <= tolerance
}

/// `near` for wire numbers, compared at their nearest Double.
func near(_ value: WireDecimal?, _ expected: Double, _ tolerance: Double = 1e-6) -> Bool {
    near(value?.double, expected, tolerance)
}

/// `near` for exact values.
func near<Kind>(_ value: FixedPoint<Kind>?, _ expected: Double, _ tolerance: Double = 1e-6) -> Bool {
    near(value?.double, expected, tolerance)
}
