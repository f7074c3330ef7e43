import AgentRuntime
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// Four symbols, the standard risk preset (no adding to a position, no trading against it), and
/// an analysis that never vetoes: what a signal's decision is depends only on the fills of the
/// signals before it on its symbol.
let pipeliningSections = """
    "market": { "seed": 11, "tick_ms": 50, "symbols": [
        { "symbol": "BTC-USD", "start_price": 60000, "volatility": 0.2 },
        { "symbol": "ETH-USD", "start_price": 3000, "volatility": 0.2 },
        { "symbol": "SOL-USD", "start_price": 150, "volatility": 0.2 },
        { "symbol": "ADA-USD", "start_price": 0.5, "volatility": 0.2 } ] },
    "accounts": [ { "name": "desk", "allow_short": true, "balances": { "USD": 400000, "BTC": 0, "ETH": 0, "SOL": 0, "ADA": 0 } } ],
    "risk": { "preset": "standard", "min_confidence": 0.1, "stop_pct": 0.5 },
    "director": { "account": "desk", "step_timeout_ms": 6000, "contradiction_threshold": 1.01 }
    """

/// Signals sent back to back, so cycles of different symbols run at once and each symbol's queue
/// up behind each other: order within a symbol, read-your-writes and one decision per signal must
/// hold all the same.
@Suite("Pipelined cycles between real processes", .serialized, .timeLimit(.minutes(3)))
struct PipeliningTests {
    @Test(arguments: AgentLayout.allCases)
    func backToBackSignalsKeepPerSymbolOrderAndSeeTheFillsBeforeThem(layout: AgentLayout) async throws {
        try await RunningTopology.run(extra: pipeliningSections, layout: layout) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "pipelining-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish)
            #expect(await publisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))

            // Per symbol: a buy (fills), a second buy (refused: pyramiding — only if it saw the
            // first fill), a sell (refused: hedging — only if it saw the long), interleaved across
            // the symbols and sent without waiting for any decision.
            let symbols = ["BTC-USD", "ETH-USD", "SOL-USD", "ADA-USD"]
            let rounds: [Side] = [.buy, .buy, .sell]
            var sent: [String: [String]] = [:]
            for side in rounds {
                for symbol in symbols {
                    let signal = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                               payload: SignalPayload(symbol: symbol, side: side, confidence: 0.8))
                    try await publisher.publish(signal, topic: Topic.signal(symbol))
                    sent[symbol, default: []].append(signal.id)
                }
            }
            // A last signal per symbol: lanes are FIFO, so a duplicate decision for an earlier
            // signal would come before the barrier's.
            var barriers: Set<String> = []
            for symbol in symbols {
                let barrier = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                            payload: SignalPayload(symbol: symbol, side: .buy, confidence: 0.05))
                try await publisher.publish(barrier, topic: Topic.signal(symbol))
                barriers.insert(barrier.id)
            }
            let all = Set(sent.values.joined()).union(barriers)
            #expect(await recorder.wait(timeout: .seconds(60)) { messages in
                Set(Self.decisions(in: messages).map(\.payload.signalId)).isSuperset(of: all)
            }, "not every signal got a decision")

            let decisions = Self.decisions(in: recorder.messages)
            for id in all { #expect(decisions.filter { $0.payload.signalId == id }.count == 1, "signal \(id) got more than one decision") }
            for symbol in symbols {
                let ours = decisions.filter { $0.payload.symbol == symbol && !barriers.contains($0.payload.signalId) }
                // Decisions leave in the order their signals arrived.
                #expect(ours.map(\.payload.signalId) == sent[symbol], "\(symbol): decisions out of order")
                #expect(ours.map(\.payload.outcome) == [.filled, .rejected, .rejected], "\(symbol): \(ours.map(\.payload.reason))")
                #expect(ours.map { $0.payload.risk?.limit } == [nil, "allowPyramiding", "allowHedging"],
                        "\(symbol): each later signal must see the fill before it")
            }
            await loop.shutdown()
        }
    }

    static func decisions(in messages: [BusMessage]) -> [Envelope<DecisionPayload>] {
        let codec = JSONEnvelopeCodec()
        return messages.filter { $0.topic.hasPrefix("decision.") }.compactMap { try? codec.decode(DecisionPayload.self, from: $0.body) }
    }
}
