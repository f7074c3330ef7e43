import Configuration
import Foundation
import HedgeBusTesting
import Testing
import WireFormat
import WireProtocol

/// `hedgectl trace export --otlp` over the recording of real cycles, read back with the official
/// opentelemetry-proto package.
@Suite("OTLP export", .serialized, .timeLimit(.minutes(3)))
struct OTLPExportTests {
    /// Signals through the running topology, recorded by `hedgectl trace --record`, exported: the
    /// file parses as an ExportTraceServiceRequest; a filled cycle is a tree rooted at the
    /// signal — analyze, assess and execute each a client span of the director with the
    /// agent's server span under it, inventory.get (when the RiskManager asks) under assess's handler, order.submit under
    /// execute's, the decision under the signal — on the signal's trace id, one resource per agent.
    @Test func aRecordedCycleExportsAsTheSpanTreeOfTraceShow() async throws {
        try await RunningTopology.run(extra: pipelineSections) { running in
            let directory = running.processes.logDirectory
            let export = "\(directory)/trace.otlp.json"
            let (tail, recording) = try await ProtocolSchemaTests.startRecording(running)
            let signals = [#"{"symbol": "BTC-USD", "side": "buy", "confidence": 0.9}"#, #"{"symbol": "ETH-USD", "side": "sell", "confidence": 0.9}"#,
                           #"{"symbol": "BTC-USD", "side": "buy", "confidence": 0.8}"#]
            let file = try SchemaValidation.write(signals.map { Data($0.utf8) }, named: "signals.jsonl", in: directory)
            // One publication per signal (no resend while a loaded machine is slow to decide):
            // a resend would be a second producer span and a second decision for it.
            let inject = try running.processes.start("hedgectl", ["inject", "--topology", running.fixture.path, "--file", file, "--timeout", "30",
                                                                  "--resend-ms", "0"])
            #expect(await running.processes.exitStatus(inject, within: .seconds(60)) == 0, "\(running.processes.log(inject))")
            // SIGTERM makes the tail drain what is in flight before it exits.
            running.processes.send(SIGTERM, to: tail)
            #expect(await running.processes.exitStatus(tail, within: .seconds(15)) == 0, "\(running.processes.log(tail))")

            let exporter = try running.processes.start("hedgectl", ["trace", "export", "--otlp", export, "--from", recording])
            #expect(await running.processes.exitStatus(exporter, within: .seconds(30)) == 0, "\(running.processes.log(exporter))")
            let spans = try await OTLPParser.parse(export, in: running.processes)

            let records = try OTLPParser.recorded(recording)
            let signalIds = Set(records.filter { $0.type == EventType.signal }.map(\.id))
            let decisions = records.filter { $0.type == EventType.decision && signalIds.contains($0.parentId ?? "") }
            #expect(signalIds.count == signals.count && decisions.count == signals.count)
            let filled = try #require(decisions.first { $0.payload["outcome"]?.string == "filled" }, "no signal was filled: \(decisions.map(\.payload))")
            let signal = try #require(records.first { $0.type == EventType.signal && $0.id == filled.parentId })
            let mine = spans.filter { $0.traceId == signal.traceId }
            let tree = SpanTree(spans: mine)

            let root = try tree.one(EventType.signal, "SPAN_KIND_PRODUCER", from: signal.source)
            // A message's span id is its id (after a `0`: the agents' ids have 15 hex digits).
            #expect(root.spanId == "0" + signal.id && root.parentSpanId.isEmpty)
            let director = AgentName.tradingDirector.rawValue
            for (step, callee) in [("analyze", AgentName.quantAnalyst), ("assess", .riskManager), ("execute", .executionAgent)] {
                let hop = try tree.hop(step, from: director, to: callee.rawValue)
                #expect(hop.client.parentSpanId == root.spanId, "\(step) is not under the signal")
                #expect(hop.server.parentSpanId == hop.client.spanId, "\(step)'s server span is not under its client span")
                #expect(hop.client.status == "STATUS_CODE_OK" && hop.server.status == "STATUS_CODE_OK")
                #expect(hop.client.startNs <= hop.server.startNs && hop.server.endNs <= hop.client.endNs, "\(step): handler outside the call")
                #expect(hop.client.string("peer.service") == callee.rawValue)
            }
            let assess = try tree.hop("assess", from: director, to: AgentName.riskManager.rawValue)
            // The RiskManager asks the MarketMaker only when its account events are behind; such a
            // hop hangs under assess's handler.
            if mine.contains(where: { $0.name == "inventory.get" }) {
                let inventory = try tree.hop("inventory.get", from: AgentName.riskManager.rawValue, to: AgentName.marketMaker.rawValue)
                #expect(inventory.client.parentSpanId == assess.server.spanId)
                #expect(inventory.server.parentSpanId == inventory.client.spanId)
            }
            let execute = try tree.hop("execute", from: director, to: AgentName.executionAgent.rawValue)
            let submit = try tree.hop("order.submit", from: AgentName.executionAgent.rawValue, to: AgentName.marketMaker.rawValue)
            #expect(submit.client.parentSpanId == execute.server.spanId)
            #expect(submit.server.parentSpanId == submit.client.spanId)
            // The order's account event is on the cycle's trace unless a tick round published the
            // account first (then on a trace of its own, not exported); at most one either way.
            let accounts = mine.filter { $0.name == EventType.account }
            #expect(accounts.count <= 1 && accounts.allSatisfy { $0.service == AgentName.marketMaker.rawValue && $0.kind == "SPAN_KIND_PRODUCER" })
            let decision = try tree.one(EventType.decision, "SPAN_KIND_PRODUCER", from: director)
            #expect(decision.parentSpanId == root.spanId && decision.spanId == "0" + filled.id)
            #expect(decision.string("hedgebus.payload.outcome") == "filled")
            let analysis = try tree.one(EventType.analysis, "SPAN_KIND_PRODUCER", from: AgentName.quantAnalyst.rawValue)
            #expect(try analysis.parentSpanId == tree.hop("analyze", from: director, to: AgentName.quantAnalyst.rawValue).server.spanId)

            // Every span of the trace hangs from one root, as `trace show` draws it.
            let ids = Set(mine.map(\.spanId))
            #expect(ids.count == mine.count, "span ids repeat")
            #expect(mine.filter { !$0.parentSpanId.isEmpty && !ids.contains($0.parentSpanId) }.isEmpty)
            #expect(mine.filter(\.parentSpanId.isEmpty).map(\.spanId) == [root.spanId])
            // One span per traced record, heartbeats and ticks left out; all three traces exported.
            let traced = records.filter { !$0.isBackground }
            #expect(spans.count == traced.count)
            #expect(Set(spans.map(\.traceId)) == Set(traced.map(\.traceId)))
            #expect(Set(spans.map(\.service)).isSuperset(of: AgentName.allCases.map(\.rawValue)))
        }
    }
}
