import Configuration
import Foundation
import HedgeBusTesting
import Ledger
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// Margin through the five agents as real processes: the desk's account is short-enabled at
/// 2x (maintenance 5 %). A short that takes most of its margin leaves too little for a signal,
/// which the RiskManager refuses for margin usage from the venue's own figures; then the BTC
/// price, appended to the replay file the MarketMaker follows, rises until the venue
/// liquidates the short, after cancelling its resting order, and publishes `liquidation.BTC-USD`
/// (listing the cancelled order) on a trace of its own.
@Suite("Margin and liquidation between real processes", .serialized, .timeLimit(.minutes(3)))
struct MarginTests {
    static func sections(_ script: ReplayScript) -> String {
        """
        "market": { "tick_ms": 20, "taker_fee_bps": 10, "maker_fee_bps": 5, "slippage_bps": 0, "maintenance_margin_bps": 500,
                    "symbols": [ \(script.symbolEntry("BTC-USD")),
                                 { "symbol": "ETH-USD", "start_price": 100, "volatility": 0.01, "tick_size": 0.01 } ] },
        "accounts": [ { "name": "desk", "allow_short": true, "max_leverage": 2, "balances": { "USD": 1000 } } ],
        "risk": { "preset": "standard", "min_confidence": 0.3, "stop_pct": 0.02, "max_position_size_pct": 1,
                  "max_total_exposure_pct": 100, "max_portfolio_heat_pct": 100, "max_concurrent_positions": 100 },
        "director": { "account": "desk", "step_timeout_ms": 6000, "contradiction_threshold": 0.99 }
        """
    }

    @Test func aSignalIsRefusedForMarginUsageAndAPriceMoveLiquidatesTheShort() async throws {
        let script = try ReplayScript(opening: ["BTC-USD": 100])
        defer { script.remove() }
        try await RunningTopology.run(extra: Self.sections(script)) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "margin-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint, source: "test")

            // Short 15 BTC at the bid 99.99: USD 1,000 + 1,499.85 − fee 1.49985 = 2,498.35015,
            // equity 2,498.35015 − 15 × 100 = 998.35015, margin used 1,500 / 2 = 750.
            let short = try await venue.request(OrderSubmit(clientOrderId: "short", account: "desk", symbol: "BTC-USD", side: .sell,
                                                            type: .market, qty: 15), trace: .root()).payload
            #expect(short.status == .filled, "\(short.reason ?? "")")
            let before = try await venue.request(InventoryQuery(account: "desk"), trace: .root()).payload
            let margin = try #require(before.accounts?.first?.margin)
            #expect(margin.equity == 998.35015 && margin.marginUsed == 750 && margin.availableMargin == 248.35015 && margin.maxLeverage == 2)
            // Maintenance 1,500 × 5 % = 75; liquidation where 2,498.35015 − 15p = 0.75p: p = 158.62540635 (rounded).
            #expect(margin.maintenanceMargin == 75)
            #expect(margin.liquidationPrices["BTC-USD"].map { abs(Money(wire: $0).double - 2_498.350_15 / 15.75) < 1e-6 } == true)
            // Twice what is left can no longer be asked for: the venue itself refuses it with the numbers.
            let greedy = try await venue.request(OrderSubmit(clientOrderId: "greedy", account: "desk", symbol: "BTC-USD", side: .sell,
                                                             type: .market, qty: 5), trace: .root()).payload
            #expect(greedy.reasonCode == "insufficient_margin" && greedy.reason?.contains("available 248.35015") == true, "\(greedy.reason ?? "")")

            // A buy signal for ETH: sized by risk (1.5 % of capital over a 2 % stop ≈ 7.5 ETH,
            // 750 notional), it needs 375 of initial margin at the venue's 2x on top of the
            // 750 used, against equity 998: the RiskManager refuses it for margin usage.
            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish)
            try #require(await publisher.awaitSubscriber(for: "signal.ETH-USD", timeout: .seconds(10)))
            let signal = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                       payload: SignalPayload(symbol: "ETH-USD", side: .buy, confidence: 0.8))
            try await publisher.publish(signal, topic: Topic.signal("ETH-USD"))
            let id = signal.id
            try #require(await recorder.wait(timeout: .seconds(20)) { messages in
                messages.contains { $0.topic.hasPrefix("decision.") && ((try? JSONEnvelopeCodec().decode(DecisionPayload.self, from: $0.body))?.parentId == id) }
            }, "no decision for the ETH signal")
            let decision = try #require(recorder.envelopes(EventType.decision, as: DecisionPayload.self).first { $0.parentId == id })
            let verdict = try #require(decision.payload.risk)
            #expect(decision.payload.outcome == .rejected && verdict.limit == PlanLimit.marginUsage.rawValue, "\(decision.payload.reason)")
            #expect((verdict.observed ?? 0) > 1 && verdict.allowed == 1 && verdict.reason.contains("margin at the venue"), "\(verdict.reason)")

            // A resting buy that could only reduce the short needs no more margin; the liquidation cancels it first.
            let resting = try await venue.request(OrderSubmit(clientOrderId: "resting-cover", account: "desk", symbol: "BTC-USD", side: .buy,
                                                              type: .limit, qty: 1, price: 50), trace: .root()).payload
            #expect(resting.status == .open, "\(resting.reason ?? "")")

            // BTC rises to 170: equity 2,498.35 − 2,550 < 0 < maintenance: the venue buys the 15 back.
            try script.append("BTC-USD", mids: [170])
            try #require(await recorder.wait(timeout: .seconds(20)) { messages in messages.contains { $0.topic == "liquidation.BTC-USD" } },
                         "no liquidation.BTC-USD event")
            let liquidation = try #require(recorder.envelopes(LiquidationPayload.eventType, as: LiquidationPayload.self).first)
            #expect(liquidation.payload.account == "desk" && liquidation.payload.order.status == .filled)
            #expect(liquidation.payload.order.side == .buy && liquidation.payload.order.filledQty == 15)
            #expect(Money(wire: liquidation.payload.margin.equity) < Money(wire: liquidation.payload.margin.maintenanceMargin))
            #expect(liquidation.payload.cancelled == [CancelledOrderPayload(orderId: resting.orderId, clientOrderId: "resting-cover",
                                                                            side: .buy, price: 50, remainingQty: 1)])
            // Its own trace: not the signal's, and its fill event is on it.
            #expect(liquidation.traceId != signal.traceId && liquidation.parentId == nil)
            let trace = liquidation.traceId, orderId = liquidation.payload.order.orderId
            #expect(await recorder.wait(timeout: .seconds(10)) { messages in
                messages.contains { message in
                    guard message.topic == "fill.BTC-USD", let fill = try? JSONEnvelopeCodec().decode(FillPayload.self, from: message.body) else { return false }
                    return fill.traceId == trace && fill.payload.orderId == orderId
                }
            }, "no fill event of the liquidation on its trace")
            let after = try await venue.request(InventoryQuery(account: "desk"), trace: .root()).payload
            #expect(after.positions.first { $0.symbol == "BTC-USD" }?.base == 0)

            // The ledger holds the liquidation, and replaying its fills gives the venue's balances.
            let ledger = try LedgerStore(path: running.ledgerPath, readOnly: true)
            let recorded = try ledger.fills().filter { $0.orderId == liquidation.payload.order.orderId }
            #expect(recorded.count == 1 && recorded.first?.clientOrderId == "liquidation-\(liquidation.payload.order.orderId)")
            var pairs: [String: AssetPair] = [:]
            for symbol in topology.market.symbols { pairs[symbol.symbol] = symbol.assets }
            let replayed = try ledger.replayBalances(initial: [AssetKey(account: "desk", asset: "USD"): 1_000], pairs: pairs)
            for balance in after.accounts?.first?.balances ?? [] {
                #expect(replayed[AssetKey(account: "desk", asset: balance.asset), default: 0] == AssetAmount(raw: Money(wire: balance.amount).raw),
                        "\(balance.asset)")
            }
            await loop.shutdown()
        }
    }
}
