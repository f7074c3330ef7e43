import Configuration
import Foundation
import HedgeBusTesting
import Ledger
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// Funding between real processes: BTC-USD is a perpetual paying 100 bps every second of the
/// venue's clock; the desk's short is credited, each payment is in the ledger, replaying the
/// ledger gives the stored balances, and the `funding.BTC-USD` events conform to docs/asyncapi.yaml.
@Suite("Funding payments between real processes", .serialized, .timeLimit(.minutes(3)))
struct FundingTests {
    static func sections(_ script: ReplayScript) -> String {
        """
        "market": { "tick_ms": 20, "taker_fee_bps": 10, "maker_fee_bps": 5, "slippage_bps": 0,
                    "funding": { "interval_s": 1, "rate_bps": 100 },
                    "symbols": [ \(script.symbolEntry("BTC-USD")),
                                 { "symbol": "ETH-USD", "start_price": 100, "volatility": 0.01, "tick_size": 0.01 } ] },
        "accounts": [ { "name": "desk", "allow_short": true, "max_leverage": 2, "balances": { "USD": 1000 } } ],
        "director": { "account": "desk", "step_timeout_ms": 6000 }
        """
    }

    @Test func aShortIsCreditedFundingThatTheLedgerRecordsAndTheSchemaDescribes() async throws {
        let script = try ReplayScript(opening: ["BTC-USD": 100])
        defer { script.remove() }
        try await RunningTopology.run(extra: Self.sections(script)) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "funding-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint, source: "test")
            let short = try await venue.request(OrderSubmit(clientOrderId: "short", account: "desk", symbol: "BTC-USD", side: .sell,
                                                            type: .market, qty: 5), trace: .root()).payload
            #expect(short.status == .filled, "\(short.reason ?? "")")

            // BTC's mid stays 100: −5 × 100 × 100 bps = −5, so each funding time credits the short 5 USD.
            try #require(await recorder.wait(timeout: .seconds(20)) { messages in messages.contains { $0.topic == "funding.BTC-USD" } },
                         "no funding.BTC-USD event")
            let events = recorder.envelopes(FundingPayload.eventType, as: FundingPayload.self)
            let first = try #require(events.first).payload
            #expect(first.account == "desk" && first.symbol == "BTC-USD" && first.asset == "USD" && first.rateBps == 100)
            #expect(Quantity(wire: first.base) == -5 && Price(wire: first.mark) == 100 && Money(wire: first.amount) == 5)
            #expect(first.fundingTime % 1_000_000 == 0, "funding times are whole seconds")
            #expect(!events.contains { $0.payload.symbol == "ETH-USD" }, "no position in ETH-USD, no payment")

            // Every published payment is in the ledger, and the ledger replays to its stored balances.
            let ledger = try LedgerStore(path: running.ledgerPath, readOnly: true)
            let recorded = try ledger.funding()
            #expect(recorded.contains { $0.fundingTimeMicros == first.fundingTime && $0.amount == 5 && $0.account == "desk" })
            var pairs: [String: AssetPair] = [:]
            for symbol in topology.market.symbols { pairs[symbol.symbol] = symbol.assets }
            let initial = [AssetKey(account: "desk", asset: "USD"): AssetAmount(1_000)]
            // A payment may land between the two reads; a moment with none between them shows equality.
            let matched = try await eventually("ledger replay equal to stored balances", timeout: .seconds(10)) { () async throws -> Bool? in
                let stored = try ledger.balances(), replayed = try ledger.replayBalances(initial: initial, pairs: pairs)
                return replayed[AssetKey(account: "desk", asset: "USD")] == stored[AssetKey(account: "desk", asset: "USD")] ? true : nil
            }
            #expect(matched)
            await loop.shutdown()

            let lines = recorder.messages.filter { $0.topic.hasPrefix("funding.") }.map(\.body)
            let file = try SchemaValidation.write(lines, named: "funding.jsonl", in: running.processes.logDirectory)
            let summary = try await SchemaValidation.run([file], requireSeen: [FundingPayload.eventType], mutants: true, in: running.processes)
            #expect(summary.exitStatus == 0 && summary.ok && summary.errors.isEmpty && summary.survivors.isEmpty, "\(summary.output)")
            #expect(summary.byType[FundingPayload.eventType] == lines.count && summary.mutants > 0)
        }
    }
}
