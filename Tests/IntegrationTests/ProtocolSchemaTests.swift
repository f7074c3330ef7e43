import AgentRuntime
import Configuration
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// Spot trading with exits after a one-second time stop, every desk fill hedged on the hedge
/// account, and ETH-USD quoted two-sided: a run that produces every event type.
private let everyMessageSections = """
    "market": { "seed": 7, "tick_ms": 50, "hedges": [ { "from": "desk", "to": "hedge" } ], "symbols": [
        { "symbol": "BTC-USD", "start_price": 60000, "volatility": 0.5 },
        { "symbol": "ETH-USD", "start_price": 3000, "volatility": 0.7,
          "quoting": { "account": "hedge", "interval_ms": 100, "spread": 0.001, "max_orders": 2, "quantity": 0.05, "max_position": 1 } } ] },
    "accounts": [
      { "name": "desk", "allow_short": true, "balances": { "USD": 70000, "BTC": 0, "ETH": 0 } },
      { "name": "hedge", "allow_short": true, "balances": { "USD": 70000, "BTC": 0, "ETH": 0 } } ],
    "risk": { "preset": "aggressive", "stop_pct": 0.5 },
    "director": { "account": "desk", "step_timeout_ms": 6000, "time_stop_s": 1 }
    """

/// A request type no agent answers, for an `unknown_type` error reply.
private struct UnansweredRequest: RequestPayload {
    static var requestType: String { "schema.unanswered" }
    typealias Reply = OpaquePayload
}

@Suite("Protocol document against a real run", .serialized, .timeLimit(.minutes(4)))
struct ProtocolSchemaTests {
    /// Every envelope of a real run — bus events recorded by `hedgectl trace --record`, and every
    /// request and reply on the agents' endpoints, seen through a capturing proxy — conforms to
    /// docs/asyncapi.yaml; broken copies of them do not.
    @Test func everyMessageOfARealRunConformsToTheDocument() async throws {
        // Each agent binds a port of its own; its `endpoint`, where every client connects, is the proxy's.
        let bindPorts = FreePort.distinct(5)
        let agents = ["quant-analyst", "risk-manager", "execution-agent", "market-maker", "trading-director"]
        let extras = Dictionary(uniqueKeysWithValues: zip(agents, bindPorts.map { "\"bind\": \"tcp://127.0.0.1:\($0)\"" }))
        try await RunningTopology.run(extra: everyMessageSections, agentExtras: extras, prelude: { fixture, processes in
            try processes.start(path: "/usr/bin/env", ["python3", SchemaValidation.proxyScript, fixture.path, "\(processes.logDirectory)/reqrep.jsonl"])
        }) { running in
            let directory = running.processes.logDirectory
            let (tail, recording) = try await Self.startRecording(running)

            let loop = try MessageLoop(name: "schema-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: running.topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            try await Self.injectSignals(running)
            try await Self.callEveryRequestType(running, loop: loop)
            let covered = await recorder.wait(timeout: .seconds(60)) { messages in
                let kinds = Set(messages.map { String(Topic.kind(of: $0.topic)) })
                let exitDecided = messages.contains { $0.topic.hasPrefix("decision.") && String(decoding: $0.body, as: UTF8.self).contains("\"stage\":\"exit\"") }
                return exitDecided && kinds.isSuperset(of: ["exit", "fill", "hedge", "quote", "order", "risk", "analysis", "inventory"])
            }
            #expect(covered, "the run did not produce an exit's decision, a hedge and a quote within 60 s")
            await loop.shutdown()

            // SIGTERM makes the tail drain what is in flight (GracefulStop) before it exits.
            running.processes.send(SIGTERM, to: tail)
            #expect(await running.processes.exitStatus(tail, within: .seconds(15)) == 0, "\(running.processes.log(tail))")

            // The one request deliberately outside the protocol is left out; its `error` reply stays.
            let captured = try String(contentsOfFile: "\(directory)/reqrep.jsonl", encoding: .utf8).split(separator: "\n")
            let outside = captured.filter { $0.contains("\"type\":\"\(UnansweredRequest.requestType)\"") }
            #expect(outside.count == 1, "expected the one unanswered request in the capture, found \(outside.count)")
            let requests = try SchemaValidation.write(captured.filter { !outside.contains($0) }.map { Data($0.utf8) },
                                                      named: "requests.jsonl", in: directory)
            let summary = try await SchemaValidation.run([recording, requests], expectTypes: SchemaValidation.codeTypes,
                                                         requireSeen: SchemaValidation.codeTypes, mutants: true, in: running.processes)
            #expect(summary.exitStatus == 0 && summary.ok, "\(summary.output)")
            #expect(summary.errors.isEmpty && summary.survivors.isEmpty)
            #expect(summary.messages > 200, "only \(summary.messages) message(s) captured")
            #expect(summary.mutants > 300, "only \(summary.mutants) broken copies tried")
            #expect(Set(summary.byType.keys).isSuperset(of: SchemaValidation.codeTypes))
        }
    }

    /// Starts `hedgectl trace --record <log folder>/bus.jsonl --quiet` on `running` and waits until
    /// it has heard every process; returns the tail (stop it with SIGTERM: it drains first) and
    /// the recording's path.
    static func startRecording(_ running: RunningTopology) async throws -> (tail: ProcessGroup.Handle, recording: String) {
        let directory = running.processes.logDirectory
        let recording = "\(directory)/bus.jsonl", ready = "\(directory)/tail.ready"
        let tail = try running.processes.start("hedgectl", ["trace", "--topology", running.fixture.path, "--record", recording,
                                                            "--quiet", "--ready-file", ready])
        try await awaitFile(ready, of: tail, in: running.processes, timeout: .seconds(30))
        return (tail, recording)
    }

    /// Waits for the `--ready-file` of `hedgectl trace`: it appears once the tail has heard every process.
    static func awaitFile(_ path: String, of handle: ProcessGroup.Handle, in processes: ProcessGroup, timeout: Duration) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !FileManager.default.fileExists(atPath: path) {
            guard processes.isRunning(handle) else { throw TestFailure("hedgectl trace exited:\n\(processes.log(handle))") }
            guard ContinuousClock.now < deadline else { throw TestFailure("hedgectl trace was not ready within \(timeout)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Signals from a file through `hedgectl inject`, which exits 0 once each has its decision.
    private static func injectSignals(_ running: RunningTopology) async throws {
        let signals = [
            #"{"symbol": "BTC-USD", "side": "buy", "confidence": 0.9, "note": "entry"}"#,
            #"{"symbol": "ETH-USD", "side": "sell", "confidence": 0.8}"#,
            #"{"symbol": "BTC-USD", "side": "buy", "confidence": 0.1}"#,
            #"{"symbol": "ETH-USD", "side": "buy", "confidence": 0.7}"#,
            #"{"symbol": "BTC-USD", "side": "sell", "confidence": 0.6}"#,
        ]
        let file = try SchemaValidation.write(signals.map { Data($0.utf8) }, named: "signals.jsonl", in: running.processes.logDirectory)
        let inject = try running.processes.start("hedgectl", ["inject", "--topology", running.fixture.path, "--file", file, "--timeout", "30"])
        let status = await running.processes.exitStatus(inject, within: .seconds(60))
        guard status == 0 else { throw TestFailure("hedgectl inject exited \(status.map(String.init) ?? "late"):\n\(running.processes.log(inject))") }
    }

    /// Sends each request type the run does not send by itself (and two that fail) through the proxies.
    private static func callEveryRequestType(_ running: RunningTopology, loop: MessageLoop) async throws {
        let topology = running.topology
        var clients: [AgentName: RequestClient] = [:]
        for agent in AgentName.allCases {
            clients[agent] = try await RequestClient.connect(loop: loop, peer: agent.rawValue, endpoint: try topology.endpoint(of: agent).endpoint,
                                                             source: "schema-test")
        }
        for client in clients.values { _ = try await client.request(MetricsRequest(), trace: .root()) }
        let director = try #require(clients[.tradingDirector]), venue = try #require(clients[.marketMaker])
        _ = try await director.request(OpenPositionsQuery(), trace: .root())
        _ = try await venue.request(InventoryQuery(symbol: "BTC-USD"), trace: .root())
        let resting = try await venue.request(OrderSubmit(clientOrderId: "schema-rest", account: "desk", symbol: "BTC-USD", side: .buy,
                                                          type: .limit, qty: 0.01, price: 30000), trace: .root()).payload
        #expect(resting.status == .open, "a limit buy far below the market should rest: \(resting)")
        let replaced = try await venue.request(OrderReplace(account: "desk", orderId: resting.orderId, qty: 0.02), trace: .root()).payload
        _ = try await venue.request(OrderCancel(account: "desk", orderId: replaced.orderId), trace: .root())
        await #expect(throws: ProtocolError.self) {
            _ = try await venue.request(OrderCancel(account: "desk", orderId: replaced.orderId), trace: .root())
        }
        await #expect(throws: ProtocolError.self) { _ = try await venue.request(UnansweredRequest(), trace: .root()) }
    }
}
