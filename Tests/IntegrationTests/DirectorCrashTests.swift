import AgentRuntime
import Foundation
import HedgeBusTesting
import Ledger
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// A perp desk whose director closes every position after a 10 s time stop: long enough that
/// positions opened before a crash are still open when the director is back, short enough
/// that the test sees their exits.
let durableDirectorSections = """
    "market": { "seed": 11, "tick_ms": 50, "symbols": [
        { "symbol": "BTC-USD", "start_price": 60000, "volatility": 0.5 },
        { "symbol": "ETH-USD", "start_price": 3000, "volatility": 0.7 } ] },
    "accounts": [ { "name": "desk", "allow_short": true, "balances": { "USD": 70000, "BTC": 0, "ETH": 0 } } ],
    "risk": { "preset": "aggressive", "stop_pct": 0.5 },
    "director": { "account": "desk", "step_timeout_ms": 6000, "time_stop_s": 10, "signal_ttl_ms": 30000 }
    """

@Suite("TradingDirector crash and restart", .serialized, .timeLimit(.minutes(3)))
struct DirectorCrashTests {
    static let burst = 20
    static let stream = 20

    @Test func aSIGKILLedDirectorFinishesEverySignalAndResumesItsPositionsExits() async throws {
        try await RunningTopology.run(extra: durableDirectorSections) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "director-crash-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))

            // A burst of buys published as fast as possible, so some wait in the director's lanes
            // when it dies, and a stream at 20/s that goes on while it is down. `hedgectl inject`
            // publishes each signal still without a decision again, same id, every 300 ms.
            func signals(_ count: Int, in name: String) throws -> String {
                let path = running.processes.logDirectory + "/\(name).jsonl"
                let lines = (0..<count).map { index in
                    #"{"symbol": "\#(index.isMultiple(of: 2) ? "BTC-USD" : "ETH-USD")", "side": "buy", "confidence": 0.8}"#
                }
                try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
                return path
            }
            func inject(_ file: String, rate: Int) throws -> ProcessGroup.Handle {
                try running.processes.start("hedgectl", ["inject", "--topology", running.fixture.path, "--file", file,
                                                         "--rate", "\(rate)", "--resend-ms", "300", "--timeout", "30", "--json"])
            }
            let injects = [try inject(try signals(Self.burst, in: "burst"), rate: 0), try inject(try signals(Self.stream, in: "stream"), rate: 20)]
            let entryDecisions: @Sendable ([BusMessage]) -> [Envelope<DecisionPayload>] = { messages in
                let codec = JSONEnvelopeCodec()
                return messages.filter { $0.topic.hasPrefix("decision.") }
                    .compactMap { try? codec.decode(DecisionPayload.self, from: $0.body) }.filter { $0.payload.stage != "exit" }
            }
            // Killed once a few signals are decided and at least one position is open.
            #expect(await recorder.wait(timeout: .seconds(30)) { messages in
                let decided = entryDecisions(messages)
                return decided.count >= 6 && decided.contains { $0.payload.outcome == .filled }
            }, "the director decided too little before the kill:\n\(injects.map(running.processes.log).joined())")
            let director = try #require(running.handles["trading-director"])
            running.processes.send(SIGKILL, to: director)
            #expect(await running.processes.exitStatus(director, within: .seconds(30)) != nil)
            let beforeKill = entryDecisions(recorder.messages)
            let openedBeforeKill = Set(beforeKill.filter { $0.payload.outcome == .filled }.map(\.payload.signalId))

            _ = try await running.restart("trading-director")
            // Asked at once: the positions opened before the crash are watched again.
            let client = try await RequestClient.connect(loop: loop, peer: "trading-director",
                                                         endpoint: try topology.endpoint(of: .tradingDirector).endpoint, source: "test",
                                                         policy: RequestPolicy(attemptTimeout: .seconds(5), attempts: 1))
            let restored = try await client.request(OpenPositionsQuery(), trace: .root()).payload.positions
            // On a loaded machine the restart can take longer than a position's time stop, so the
            // restarted director may already have closed one; either way it is still in its care.
            let closedSoFar = Set(recorder.envelopes(EventType.exit, as: ExitPayload.self).map(\.payload.openingSignalId))
            #expect(openedBeforeKill.isSubset(of: Set(restored.map(\.openingSignalId)).union(closedSoFar)),
                    "watched after the restart: \(restored.map(\.openingSignalId)), exited: \(closedSoFar), opened before the kill: \(openedBeforeKill)")

            // Each publisher ends once every signal it sent has its decision.
            for inject in injects {
                let status = await running.processes.exitStatus(inject, within: .seconds(90))
                #expect(status == 0, "hedgectl inject:\n\(running.processes.log(inject))")
            }

            // Every signal sent got one decision: some signals' decision may have been sent again to
            // a publisher that asked again, but it is the same recorded decision, never a second cycle.
            let sent = Set(recorder.envelopes(EventType.signal, as: SignalPayload.self).map(\.id))
            #expect(sent.count == Self.burst + Self.stream)
            let decisions = Dictionary(grouping: entryDecisions(recorder.messages), by: \.payload.signalId)
            #expect(Set(decisions.keys) == sent)
            for (id, each) in decisions {
                #expect(Set(each.map(\.payload)).count == 1, "signal \(id) got different decisions: \(each.map(\.payload.reason))")
            }
            let filled = decisions.values.compactMap(\.first).filter { $0.payload.outcome == .filled }

            // Every position, opened before or after the crash, is closed by its time stop.
            #expect(await recorder.wait(timeout: .seconds(60)) { messages in
                let codec = JSONEnvelopeCodec()
                let decided: [DecisionPayload] = messages.filter { $0.topic.hasPrefix("decision.") }
                    .compactMap { try? codec.decode(DecisionPayload.self, from: $0.body).payload }
                let done: [DecisionPayload] = decided.filter { decision in
                    decision.stage == "exit" && decision.outcome == .filled && decision.exit?.remainingAfter.units == 0
                }
                let closed = Set(done.compactMap { $0.exit?.openingSignalId })
                return Set(filled.map(\.payload.signalId)).isSubset(of: closed)
            }, "not every position was closed by its exits")
            let exitReasons = Set(recorder.envelopes(EventType.exit, as: ExitPayload.self).filter { openedBeforeKill.contains($0.payload.openingSignalId) }
                .map(\.payload.reason))
            #expect(exitReasons.contains("time_stop"))

            // The venue executed each entry once: its fills are the decisions' fills, no order twice.
            let ledger = try LedgerStore(path: running.ledgerPath, readOnly: true)
            let fills = try ledger.fills()
            let entryFills = Dictionary(grouping: fills.filter { $0.clientOrderId.hasPrefix("sig-") }, by: \.clientOrderId)
            #expect(Set(entryFills.keys) == Set(filled.map { "sig-\($0.payload.signalId)" }))
            for decision in filled {
                let orderFills = entryFills["sig-\(decision.payload.signalId)"] ?? []
                #expect(Set(orderFills.map(\.orderId)) == [decision.payload.orderId ?? ""])
                let ledgerQty = orderFills.reduce(Quantity.zero) { $0 + $1.qty }
                #expect(ledgerQty.wire == decision.payload.filledQty)
            }
            let exitOrders = Dictionary(grouping: fills.filter { $0.clientOrderId.hasPrefix("exit-") }, by: \.clientOrderId)
            for (clientOrderId, orderFills) in exitOrders {
                #expect(Set(orderFills.map(\.orderId)).count == 1, "\(clientOrderId) executed more than once")
            }
            // Nothing is left at the venue that the director does not watch.
            let inventory = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint,
                                                            source: "test", policy: RequestPolicy(attemptTimeout: .seconds(5), attempts: 1))
            let rows = try await inventory.request(InventoryQuery(account: "desk"), trace: .root()).payload.positions
            for row in rows { #expect(row.base.units == 0, "desk still holds \(row.base) \(row.symbol)") }
            await loop.shutdown()
        }
    }
}
