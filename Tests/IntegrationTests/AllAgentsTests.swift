import Configuration
import Foundation
import HedgeBusTesting
import Messaging
import Testing
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
}
