import Configuration
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import WireFormat
import WireProtocol

/// Agents pushing their spans to the OTLP/HTTP collector named in the topology.
@Suite("OTLP push", .serialized, .timeLimit(.minutes(3)))
struct OTLPPushTests {
    /// A collector (Python's http.server parsing each request with opentelemetry-proto) receives
    /// from the running agents the spans of a filled cycle — every hop's client and server side,
    /// each from its own agent, nested as in the export — and when the collector is gone the
    /// cycles go on unhindered while the undelivered spans are counted.
    @Test(arguments: AgentLayout.allCases)
    func agentsPushTheSpansOfACycleAndDoNotWaitForACollector(layout: AgentLayout) async throws {
        let port = FreePort.next()
        let otlp = #", "otlp": { "endpoint": "http://127.0.0.1:\#(port)/v1/traces", "interval_ms": 200 }"#
        try await RunningTopology.run(extra: pipelineSections + otlp, layout: layout) { running in
            let directory = running.processes.logDirectory
            let ready = "\(directory)/collector.ready", received = "\(directory)/collector.jsonl"
            let collector = try running.processes.start(path: "/usr/bin/env", ["python3", OTLPParser.script, "receive", "\(port)", ready, received])
            try await Self.awaitFile(ready, of: collector, in: running.processes)

            let signals = [#"{"symbol": "BTC-USD", "side": "buy", "confidence": 0.9}"#, #"{"symbol": "ETH-USD", "side": "sell", "confidence": 0.9}"#,
                           #"{"symbol": "BTC-USD", "side": "buy", "confidence": 0.8}"#]
            let file = try SchemaValidation.write(signals.map { Data($0.utf8) }, named: "signals.jsonl", in: directory)
            let inject = try running.processes.start("hedgectl", ["inject", "--topology", running.fixture.path, "--file", file, "--timeout", "30",
                                                                     // One publication per signal: a re-sent signal gets its recorded decision published again.
                                                                     "--resend-ms", "0"])
            #expect(await running.processes.exitStatus(inject, within: .seconds(60)) == 0, "\(running.processes.log(inject))")

            let director = AgentName.tradingDirector.rawValue, venue = AgentName.marketMaker.rawValue
            let expected: Set<String> = ["analyze CLIENT \(director)", "analyze SERVER quant-analyst", "assess CLIENT \(director)",
                                         "assess SERVER risk-manager",
                                         "execute CLIENT \(director)", "execute SERVER execution-agent", "order.submit CLIENT execution-agent",
                                         "order.submit SERVER \(venue)", "decision PRODUCER \(director)", "analysis PRODUCER quant-analyst"]
            func key(_ span: ParsedSpan) -> String { "\(span.name) \(span.kind.replacingOccurrences(of: "SPAN_KIND_", with: "")) \(span.service)" }
            // The batches come every 200 ms from each agent; wait (bounded) until the filled cycle is complete.
            var cycle: [ParsedSpan] = []
            let deadline = ContinuousClock.now.advanced(by: .seconds(20))
            while ContinuousClock.now < deadline {
                let spans = try Self.spans(in: received)
                if let filled = spans.first(where: { $0.name == EventType.decision && $0.string("hedgebus.payload.outcome") == "filled" }) {
                    cycle = spans.filter { $0.traceId == filled.traceId }
                    if Set(cycle.map(key)).isSuperset(of: expected) { break }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(Set(cycle.map(key)).isSuperset(of: expected), "missing \(expected.subtracting(cycle.map(key)).sorted())")
            let tree = SpanTree(spans: cycle)
            let decision = try tree.one(EventType.decision, "SPAN_KIND_PRODUCER", from: director)
            for (step, callee) in [("analyze", "quant-analyst"), ("assess", "risk-manager"), ("execute", "execution-agent")] {
                let hop = try tree.hop(step, from: director, to: callee)
                #expect(hop.client.parentSpanId == decision.parentSpanId, "\(step) is not under the signal")
                #expect(hop.server.parentSpanId == hop.client.spanId)
            }
            let submit = try tree.hop("order.submit", from: "execution-agent", to: venue)
            #expect(try submit.client.parentSpanId == tree.hop("execute", from: director, to: "execution-agent").server.spanId)
            #expect(submit.server.parentSpanId == submit.client.spanId)

            // Without a collector the agents drop their batches and the cycle goes on.
            let loop = try MessageLoop(name: "otlp-push-test")
            let client = try await RequestClient.connect(loop: loop, peer: director, endpoint: try running.topology.endpoint(of: .tradingDirector).endpoint,
                                                         source: "test")
            func counts() async throws -> (sent: Double, failed: Double) {
                let exposition = try await client.request(MetricsRequest(), trace: .root()).payload.exposition
                return (Self.value(of: "hedgebus_otlp_spans_sent_total", in: exposition),
                        Self.value(of: #"hedgebus_otlp_spans_dropped_total{reason="send_failed"}"#, in: exposition))
            }
            // The director counts a batch once the collector has answered its POST, which can be
            // after the collector has written the batch's spans out: wait (bounded) for the count.
            var before = try await counts()
            let sentDeadline = ContinuousClock.now.advanced(by: .seconds(10))
            while before.sent < 4, ContinuousClock.now < sentDeadline {
                try await Task.sleep(for: .milliseconds(100))
                before = try await counts()
            }
            running.processes.send(SIGKILL, to: collector)
            _ = await running.processes.exitStatus(collector, within: .seconds(10))
            let again = try running.processes.start("hedgectl", ["inject", "--topology", running.fixture.path, "--symbol", "ETH-USD",
                                                                 "--side", "buy", "--confidence", "0.9", "--timeout", "30"])
            #expect(await running.processes.exitStatus(again, within: .seconds(45)) == 0, "\(running.processes.log(again))")
            for agent in AgentName.allCases {
                let handle = try #require(running.handles[agent.rawValue] ?? running.handles[RunningTopology.allAgents])
                #expect(running.processes.isRunning(handle), "\(agent.rawValue) stopped")
            }
            // … and counts what it could not deliver (the second cycle's spans), beside what it did.
            var after = try await counts()
            let metricsDeadline = ContinuousClock.now.advanced(by: .seconds(10))
            while after.failed == before.failed, ContinuousClock.now < metricsDeadline {
                try await Task.sleep(for: .milliseconds(100))
                after = try await counts()
            }
            await loop.shutdown()
            #expect(before.sent >= 4, "the director sent \(before.sent) span(s) to the collector")
            #expect(after.failed > before.failed, "no failed batch counted after the collector stopped")
        }
    }

    /// The value of the sample `name` (with its labels) in a Prometheus exposition; 0 when absent.
    private static func value(of name: String, in exposition: String) -> Double {
        exposition.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    /// Every span the collector has parsed so far; a request it could not parse fails the test.
    private static func spans(in path: String) throws -> [ParsedSpan] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        // Only whole lines: the last one may still be being written.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()
        return try lines.filter { !$0.isEmpty }.flatMap { try OTLPParser.spans(ofLine: $0) }
    }

    /// Waits until the collector has created `path` (once it listens).
    private static func awaitFile(_ path: String, of handle: ProcessGroup.Handle, in processes: ProcessGroup) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while !FileManager.default.fileExists(atPath: path) {
            guard processes.isRunning(handle) else { throw TestFailure("the collector exited:\n\(processes.log(handle))") }
            guard ContinuousClock.now < deadline else { throw TestFailure("the collector did not listen within 20 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
