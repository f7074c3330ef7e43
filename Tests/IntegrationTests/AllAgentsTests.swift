import Configuration
import Foundation
import HedgeBusTesting
import Ledger
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// `all-agents`: the five agents in one process. The pipeline's own tests (`PipelineTests`,
/// `PipeliningTests`) run on it as well as on five processes; these cover what only it does.
@Suite("The five agents in one process", .serialized, .timeLimit(.minutes(3)))
struct AllAgentsTests {
    /// An agent entry that needs a process of its own, and what the refusal says about it.
    static let refusals: [(entry: String, says: String)] = [
        ("\"replicas\": 2, \"backend\": \"tcp://127.0.0.1:1\"", "cannot run as one process: agents.quant-analyst.replicas is 2"),
        ("\"command\": [\"python3\", \"analyst.py\"]", "cannot run as one process: agents.quant-analyst.command runs that agent as another program (python3 analyst.py)"),
    ]

    @Test(arguments: 0..<refusals.count)
    func aTopologyThatNeedsAnAgentInAProcessOfItsOwnIsRefusedWithTheReason(_ index: Int) async throws {
        let (entry, says) = Self.refusals[index]
        let fixture = try TestTopology.make(agentExtras: ["quant-analyst": entry])
        let processes = ProcessGroup()
        let handle = try processes.start(RunningTopology.allAgents, ["--topology", fixture.path, "--no-ledger", "--no-analytics",
                                                                   "--store", "\(processes.logDirectory)/director.sqlite"])
        let status = await processes.exitStatus(handle, within: .seconds(30))
        await processes.stop()
        #expect(status != nil && status != 0)
        let log = processes.log(handle)
        #expect(log.contains(says), "\(log)")
    }

    @Test func aSecondProcessOnTheSameTopologyExitsSayingItsPortsAreTaken() async throws {
        try await RunningTopology.run(extra: pipelineSections, layout: .oneProcess) { running in
            let directory = running.processes.logDirectory
            let second = try running.processes.start(RunningTopology.allAgents, ["--topology", running.fixture.path,
                                                                                "--ledger", "\(directory)/second-ledger.sqlite",
                                                                                "--analytics", "\(directory)/second/analytics.sqlite"])
            #expect(await running.processes.exitStatus(second, within: .seconds(20)) == 2)
            let log = running.processes.log(second)
            #expect(log.contains("the bus cannot bind"), "\(log)")
            #expect(log.contains("Is another topology running"), "\(log)")
            // The first one still serves.
            #expect(running.processes.isRunning(try #require(running.handles[RunningTopology.allAgents])))
        }
    }

    /// A crash takes every agent down at once; the restarted process restores the venue from its
    /// ledger: every acknowledged order kept, none executed twice, retries answered as before.
    @Test func aProcessKilledInTheMiddleOfABurstRestartsWithEveryAcknowledgedOrder() async throws {
        try await RunningTopology.run(extra: pipelineSections, layout: .oneProcess) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "all-agents-restart")
            let policy = RequestPolicy(attemptTimeout: .seconds(10), attempts: 1)
            let endpoint = try topology.endpoint(of: .marketMaker).endpoint
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: endpoint, source: "test", policy: policy)
            let acknowledged = Acknowledged()
            let (acks, ack) = AsyncStream.makeStream(of: Void.self)
            let burst = Task {
                defer { ack.finish() }
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<40 {
                        group.addTask {
                            if let report = try? await venue.request(Self.order(index), trace: .root()).payload {
                                acknowledged.reports.withLock { $0.append(report) }
                                ack.yield()
                            }
                        }
                    }
                }
            }
            var seen = 0
            for await _ in acks {
                seen += 1
                if seen == 8 { break }
            }
            let first = try #require(running.handles[RunningTopology.allAgents])
            running.processes.send(SIGKILL, to: first)
            #expect(await running.processes.exitStatus(first, within: .seconds(30)) != nil)
            _ = await burst.value
            let acked = acknowledged.reports.withLock { $0 }
            #expect(acked.count >= 8)
            let ledger = try LedgerStore(path: running.ledgerPath, readOnly: true)
            let onRecord = Set(try ledger.fills().map(\.orderId))
            for report in acked where report.status == .filled { #expect(onRecord.contains(report.orderId), "\(report.orderId) acknowledged but not in the ledger") }

            _ = try await running.restart(RunningTopology.allAgents)
            let byClientId = Dictionary(uniqueKeysWithValues: acked.map { ($0.clientOrderId, $0) })
            for index in 0..<40 {
                let retried = try await venue.request(Self.order(index), trace: .root()).payload
                if let earlier = byClientId[retried.clientOrderId] {
                    #expect(LedgerRestartTests.result(retried) == LedgerRestartTests.result(earlier), "burst-\(index) changed on retry")
                }
            }
            let fills = try ledger.fills().filter { $0.clientOrderId.hasPrefix("burst-") }
            #expect(Set(fills.map(\.clientOrderId)).count == 40, "every burst order filled once, before or after the kill")
            // A client order id executed again after the restart would have a second venue order.
            for (clientOrderId, rows) in Dictionary(grouping: fills, by: \.clientOrderId) {
                #expect(Set(rows.map(\.orderId)).count == 1, "\(clientOrderId) executed more than once")
            }
            await loop.shutdown()
        }
    }

    /// The burst's order `index`: small market orders alternating sides over two symbols.
    static func order(_ index: Int) -> OrderSubmit {
        OrderSubmit(clientOrderId: "burst-\(index)", account: "desk", symbol: index % 3 == 0 ? "ETH-USD" : "BTC-USD",
                    side: index.isMultiple(of: 2) ? .buy : .sell, type: .market, qty: 0.001)
    }

    @Test func aTerminationSignalStopsEveryAgentCleanlyAfterItsWork() async throws {
        try await RunningTopology.run(extra: pipelineSections, layout: .oneProcess) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "all-agents-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish)
            #expect(await publisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))
            let signal = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                       payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.9))
            try await publisher.publish(signal, topic: Topic.signal("BTC-USD"))
            #expect(await recorder.wait(timeout: .seconds(30)) { messages in
                messages.contains { $0.topic.hasPrefix("decision.") && (try? JSONEnvelopeCodec().decodeHeader(from: $0.body).parentId) == signal.id }
            })
            // The bus and every agent beat under their own names, from the one process.
            let beats = recorder.envelopes(EventType.heartbeat, as: HeartbeatPayload.self).map(\.payload)
            let handle = try #require(running.handles[RunningTopology.allAgents])
            #expect(Set(beats.map(\.agent)) == Set([busName] + AgentName.allCases.map(\.rawValue)))
            #expect(Set(beats.map(\.pid)) == [handle.pid])

            running.processes.send(SIGTERM, to: handle)
            #expect(await running.processes.exitStatus(handle, within: .seconds(30)) == 0)
            let log = running.processes.log(handle)
            for agent in ["market-maker", "execution-agent", "risk-manager", "quant-analyst", "trading-director"] {
                #expect(log.contains("\(agent) shutting down"), "\(agent) did not stop its request server:\n\(log.suffix(2_000))")
            }
            #expect(log.contains("bus stopped after forwarding"), "\(log.suffix(2_000))")
            #expect(log.contains("all-agents stopped"), "\(log.suffix(2_000))")
            await loop.shutdown()
        }
    }

    /// Agents that share one loop each report the problems of their own sockets: a message over
    /// the size limit sent to the MarketMaker makes libzmq close that connection, which the
    /// MarketMaker's heartbeats count and no other agent's, nor the bus's.
    @Test func eachAgentsHeartbeatsCountOnlyTheConnectionsClosedOnItsOwnSockets() async throws {
        try await RunningTopology.run(extra: pipelineSections, layout: .oneProcess) { running in
            let loop = try MessageLoop(name: "own-problems-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: running.topology, topics: [Topic.heartbeat("")])
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let names = [busName] + AgentName.allCases.map(\.rawValue)
            // The harness's own connections, closed before this, are counted once every beat
            // holds still across two more beats of every agent.
            var before = Self.closedConnections(in: recorder.messages)
            for _ in 0..<5 {
                #expect(await Self.twoMoreBeats(of: names, recorder))
                let now = Self.closedConnections(in: recorder.messages)
                if now == before { break }
                before = now
            }

            let endpoint = try running.topology.endpoint(of: .marketMaker).endpoint
            let (raw, _) = try await loop.open(SocketSpec(kind: .dealer, connects: [endpoint]))
            try await loop.send([Data(), Data(repeating: 0x20, count: Int(SocketOptions.defaultMaxMessageSize) + 1)], on: raw)
            let marketMaker = AgentName.marketMaker.rawValue
            let settled = before
            #expect(await recorder.wait(timeout: .seconds(15)) { messages in
                (Self.closedConnections(in: messages)[marketMaker] ?? 0) > (settled[marketMaker] ?? 0)
            }, "the market-maker's heartbeats never counted the closed connection: \(Self.closedConnections(in: recorder.messages))")
            #expect(await Self.twoMoreBeats(of: names, recorder))
            let after = Self.closedConnections(in: recorder.messages)
            for name in names where name != marketMaker {
                #expect(after[name] == before[name], "\(name) counted the market-maker's closed connection: \(before) → \(after)")
            }
            await loop.shutdown()
        }
    }

    /// The closed connections each sender's latest heartbeat in `messages` reports in its notes
    /// (0 without such a note).
    static func closedConnections(in messages: [BusMessage]) -> [String: Int] {
        var latest: [String: Int] = [:]
        for beat in heartbeats(in: messages) {
            let note = beat.notes?.first { $0.contains("connection(s) closed") }
            latest[beat.agent] = note.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        }
        return latest
    }

    static func heartbeats(in messages: [BusMessage]) -> [HeartbeatPayload] {
        let codec = JSONEnvelopeCodec()
        return messages.filter { $0.topic.hasPrefix("heartbeat.") }.compactMap { try? codec.decode(HeartbeatPayload.self, from: $0.body).payload }
    }

    /// Waits until every one of `names` has beaten twice more.
    static func twoMoreBeats(of names: [String], _ recorder: BusRecorder) async -> Bool {
        let counts = Dictionary(grouping: heartbeats(in: recorder.messages).map(\.agent)) { $0 }.mapValues(\.count)
        return await recorder.wait(timeout: .seconds(10)) { messages in
            let now = Dictionary(grouping: heartbeats(in: messages).map(\.agent)) { $0 }.mapValues(\.count)
            return names.allSatisfy { (now[$0] ?? 0) >= (counts[$0] ?? 0) + 2 }
        }
    }
}
