import AgentRuntime
import Configuration
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// The QuantAnalyst of python/examples (the hedgebus SDK) in place of the Swift one.
@Suite("Python agent", .serialized, .timeLimit(.minutes(3)))
struct PythonAgentTests {
    private static let analyst = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("python/examples/quant_analyst.py").path

    /// A full cycle per signal with the Python analyst: one decision each, its analysis from the
    /// Python process, its `analyze` hop in `hedgectl trace show` like a Swift one, clear errors
    /// for requests it cannot process, and every message on the bus conforming to docs/asyncapi.yaml.
    @Test func aTopologyRunsWithThePythonQuantAnalyst() async throws {
        let command = "\"command\": [\"python3\", \"\(Self.analyst)\"]"
        try await RunningTopology.run(extra: pipelineSections, agentExtras: ["quant-analyst": command]) { running in
            let (tail, recording) = try await ProtocolSchemaTests.startRecording(running)

            let loop = try MessageLoop(name: "python-agent-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: running.topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let analystPid = try #require(running.handles["quant-analyst"]).pid
            let beats = recorder.envelopes(EventType.heartbeat, as: HeartbeatPayload.self).filter { $0.source == "quant-analyst" }
            #expect(beats.allSatisfy { $0.payload.pid == analystPid }, "the analyst's heartbeats come from the Python process")

            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: running.topology.bus.publish)
            #expect(await publisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))
            var signals: [Envelope<SignalPayload>] = []
            for (symbol, side, confidence) in [("BTC-USD", Side.buy, 0.9), ("ETH-USD", .sell, 0.8), ("BTC-USD", .sell, 0.6), ("ETH-USD", .buy, 0.7)] {
                let signal = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                           payload: SignalPayload(symbol: symbol, side: side, confidence: confidence))
                try await publisher.publish(signal, topic: Topic.signal(symbol))
                signals.append(signal)
            }
            // A barrier per symbol after them: lanes are FIFO, so a second decision for an earlier
            // signal would come before the barrier's.
            var barriers: [Envelope<SignalPayload>] = []
            for symbol in ["BTC-USD", "ETH-USD"] {
                let barrier = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                            payload: SignalPayload(symbol: symbol, side: .buy, confidence: 0.05))
                try await publisher.publish(barrier, topic: Topic.signal(symbol))
                barriers.append(barrier)
            }
            let ids = Set((signals + barriers).map(\.id))
            #expect(await recorder.wait(timeout: .seconds(60)) { messages in
                Set(messages.filter { $0.topic.hasPrefix("decision.") }.compactMap { try? JSONEnvelopeCodec().decodeHeader(from: $0.body).parentId })
                    .isSuperset(of: ids)
            }, "not every signal got a decision")
            await loop.shutdown()
            let decisions = recorder.envelopes(EventType.decision, as: DecisionPayload.self)
            for signal in signals {
                let mine = decisions.filter { $0.parentId == signal.id }
                #expect(mine.count == 1, "signal \(signal.payload) got \(mine.count) decisions")
                // The analyst answered: the cycle went on, or its analysis vetoed the signal on the
                // market's merits; a failed analyze step carries no analysis.
                #expect(mine.first?.payload.analysis != nil && mine.first.map { !($0.payload.stage == "analyze" && $0.payload.outcome == .failed) } == true,
                        "the analyze step failed: \(mine.first?.payload.reason ?? "")")
            }
            let analyses = recorder.envelopes(EventType.analysis, as: AnalysisReport.self)
            #expect(analyses.count >= signals.count && analyses.allSatisfy { $0.source == "quant-analyst" })

            running.processes.send(SIGTERM, to: tail)
            #expect(await running.processes.exitStatus(tail, within: .seconds(15)) == 0)
            // A signal whose cycle went past its analysis (the analyst may veto some on the market's
            // merits) shows the Python analyst's hop beside the Swift agents' hops.
            let pastAnalysis = try #require(signals.first { signal in decisions.contains { $0.parentId == signal.id && $0.payload.stage != "analyze" } },
                                            "every signal was vetoed by its analysis")
            let show = try running.processes.start("hedgectl", ["trace", "show", pastAnalysis.traceId, "--from", recording])
            #expect(await running.processes.exitStatus(show, within: .seconds(20)) == 0)
            let tree = running.processes.log(show)
            #expect(tree.contains("analyze") && tree.contains("quant-analyst") && tree.contains("assess"), "\(tree)")

            // Requests it cannot process get the protocol's error codes, and it keeps answering.
            let script = SchemaValidation.interop.appendingPathComponent("bad_requests.py").path
            let bad = try running.processes.start(path: "/usr/bin/env", ["python3", script, try running.topology.endpoint(of: .quantAnalyst).endpoint])
            #expect(await running.processes.exitStatus(bad, within: .seconds(60)) == 0)
            let answer = try #require(running.processes.log(bad).split(separator: "\n").last { $0.hasPrefix("{") })
            let result = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
            #expect(result["codes"] as? [String] == ["malformed_json", "malformed_json", "missing_field", "invalid_value",
                                                     "unsupported_version", "invalid_value", "unknown_type"], "\(result)")
            #expect(result["alive"] as? Bool == true)

            // The SDK's request client against the Swift market-maker, and against nobody.
            let sdk = try running.processes.start(path: "/usr/bin/env", ["python3", SchemaValidation.interop.appendingPathComponent("sdk_client.py").path,
                                                                         try running.topology.endpoint(of: .marketMaker).endpoint, FreePort.endpoint()])
            #expect(await running.processes.exitStatus(sdk, within: .seconds(60)) == 0, "\(running.processes.log(sdk))")
            let sdkLine = try #require(running.processes.log(sdk).split(separator: "\n").last { $0.hasPrefix("{") })
            let sdkResult = try #require(try JSONSerialization.jsonObject(with: Data(sdkLine.utf8)) as? [String: Any])
            #expect(sdkResult["accounts"] as? [String] == ["desk"])
            #expect(sdkResult["cancel"] as? String == "not_found")
            #expect(sdkResult["silent"] as? String == "timeout")
            #expect((sdkResult["waited_ms"] as? Int ?? 0) >= 550, "two attempts of 300 ms, not one: \(sdkResult)")
            let hops = sdkResult["hops"] as? [[Any]] ?? []
            #expect(hops.map { "\($0[0]) \($0[1]) \($0[2])" } == ["inventory.get ok 1", "order.cancel error 1", "ping timeout 2"], "\(hops)")

            let summary = try await SchemaValidation.run([recording], in: running.processes)
            #expect(summary.exitStatus == 0 && summary.ok, "\(summary.output)")
            let pythonTraces = try String(contentsOfFile: recording, encoding: .utf8).split(separator: "\n")
                .filter { $0.contains(#""source":"quant-analyst""#) && $0.contains(#""type":"trace""#) && $0.contains(#""role":"server""#) }
            #expect(!pythonTraces.isEmpty, "the Python analyst published no server-side trace events")
        }
    }

    /// The Python analyst on a CURVE topology: it joins the bus and serves with its own keys, the
    /// operator's signal completes a cycle through it, and a key the topology does not list for it
    /// never completes a handshake (the analyst counts and reports the refusal).
    @Test func thePythonQuantAnalystRunsOnACurveTopology() async throws {
        let command = "\"command\": [\"python3\", \"\(Self.analyst)\"]"
        try await RunningTopology.run(extra: pipelineSections, agentExtras: ["quant-analyst": command], secure: true) { running in
            let topology = running.topology
            let store = CurveKeyStore(folder: topology.security.keysDir)
            let loop = try MessageLoop(name: "python-curve-test")
            do {
                let recorder = try await BusRecorder.start(loop: loop, topology: topology)
                try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
                let analystPid = try #require(running.handles["quant-analyst"]).pid
                #expect(recorder.envelopes(EventType.heartbeat, as: HeartbeatPayload.self).contains { $0.source == "quant-analyst" && $0.payload.pid == analystPid },
                        "the bus admitted no heartbeat from the Python process")

                // An unlisted key gets no answer; the operator's key does.
                let endpoint = try topology.endpoint(of: .quantAnalyst).endpoint
                let analystKey = try store.publicKey(AgentName.quantAnalyst.rawValue)
                let intruder = try await RequestClient.connect(loop: loop, peer: "quant-analyst", endpoint: endpoint, source: "trading-director",
                                                               policy: RequestPolicy(attemptTimeout: .milliseconds(500), attempts: 2),
                                                               curve: .client(try store.keyPair(TestTopology.intruder), serverKey: analystKey))
                await #expect(throws: ProtocolError.self) { _ = try await intruder.request(PingRequest(), trace: .root()) }
                let operatorClient = try await RequestClient.connect(loop: loop, peer: "quant-analyst", endpoint: endpoint, source: "operator",
                                                                     curve: try topology.curve(to: AgentName.quantAnalyst.rawValue))
                let pong = try await operatorClient.request(PingRequest(), trace: .root()).payload
                #expect(pong.pid == analystPid && pong.notes?.contains { $0.contains("refused") && $0.contains("unlisted key") } == true,
                        "\(pong)")

                let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish, curve: try topology.curve(to: busName))
                #expect(await publisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))
                let signal = Envelope.make(type: EventType.signal, source: "operator", trace: .root(),
                                           payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.9))
                try await publisher.publish(signal, topic: Topic.signal("BTC-USD"))
                #expect(await recorder.wait(timeout: .seconds(30)) { messages in
                    messages.contains { $0.topic.hasPrefix("decision.") && (try? JSONEnvelopeCodec().decodeHeader(from: $0.body).parentId) == signal.id }
                }, "the operator's signal got no decision")
                let decision = recorder.envelopes(EventType.decision, as: DecisionPayload.self).first { $0.parentId == signal.id }
                // Filled, or refused on its merits (the analyst's read of a random market may veto a
                // buy): never failed, which is what an unanswered or refused hop would give.
                #expect(decision.map { $0.payload.outcome != .failed } == true, "\(String(describing: decision?.payload))")
                let analyses = recorder.envelopes(EventType.analysis, as: AnalysisReport.self).filter { $0.traceId == signal.traceId }
                #expect(analyses.count == 1 && analyses.first?.source == "quant-analyst", "the analysis did not come over CURVE from the analyst")
            } catch {
                await loop.shutdown()
                throw error
            }
            await loop.shutdown()
        }
    }
}
