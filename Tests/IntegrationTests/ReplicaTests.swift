import Configuration
import Foundation
import Glibc
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// Replicas behind brokers: three QuantAnalysts and two ExecutionAgents, each pair of a broker
/// and its replicas run as real processes on free ports.
@Suite("Replicas behind a broker", .serialized, .timeLimit(.minutes(3)))
struct ReplicaTests {
    static let analysts = 3
    static let executors = 2

    /// The replica entries: `replicas` and a free `backend` port for each replicated agent.
    static var replicaExtras: [String: String] {
        [AgentName.quantAnalyst.rawValue: "\"replicas\": \(analysts), \"backend\": \"\(FreePort.endpoint())\"",
         AgentName.executionAgent.rawValue: "\"replicas\": \(executors), \"backend\": \"\(FreePort.endpoint())\""]
    }

    /// Every signal of a stream gets one decision, and every replica answered some of the
    /// requests: each published `trace.<replica>` server hops of its agent's request type.
    @Test func cyclesCompleteAndRequestsSpreadOverEveryReplica() async throws {
        try await RunningTopology.run(extra: pipelineSections, agentExtras: Self.replicaExtras) { running in
            let loop = try MessageLoop(name: "replica-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: running.topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(30))
            let signals = try await Self.publish(count: 24, interval: .milliseconds(20), loop: loop, topology: running.topology)
            try await Self.expectOneDecisionEach(signals, recorder: recorder)
            let served = Self.serverHops(recorder)
            for index in 1...Self.analysts {
                #expect(served[replicaName(.quantAnalyst, index), default: 0] > 0, "server hops per process: \(served)")
            }
            for index in 1...Self.executors {
                #expect(served[replicaName(.executionAgent, index), default: 0] > 0, "server hops per process: \(served)")
            }
            // Nothing answered as the unreplicated names: every request went through a broker.
            #expect(served[AgentName.quantAnalyst.rawValue] == nil && served[AgentName.executionAgent.rawValue] == nil)
            await loop.shutdown()
        }
    }

    /// One QuantAnalyst and one ExecutionAgent replica, once each has served a request, are
    /// frozen (SIGSTOP) mid-stream, so the requests the brokers route to them go unanswered, and
    /// then SIGKILLed while more signals come: every signal still gets exactly one decision, none
    /// failed, and requests were retried with their id onto live replicas. The analyst is frozen
    /// a batch of signals before the ExecutionAgent: frozen together, both symbols' cycles could
    /// stall on an execute held by the frozen ExecutionAgent and ask for no analysis until the
    /// analyst was killed, leaving no analyze request to retry.
    @Test func aKilledReplicaLosesNoRequest() async throws {
        try await RunningTopology.run(extra: pipelineSections, agentExtras: Self.replicaExtras) { running in
            let loop = try MessageLoop(name: "replica-kill-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: running.topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(30))
            let victims = [replicaName(.quantAnalyst, 2), replicaName(.executionAgent, 1)]
            let handles = try victims.map { try #require(running.handles[$0]) }
            var signals = try await Self.publish(count: 12, interval: .milliseconds(20), loop: loop, topology: running.topology)
            // Both victims are in rotation: each has reported a request it served.
            let serving = await recorder.wait(timeout: .seconds(30)) { messages in
                let served = Self.serverHops(in: messages)
                return victims.allSatisfy { served[$0, default: 0] > 0 }
            }
            #expect(serving, "the victims served nothing: \(Self.serverHops(in: recorder.messages))")
            for handle in handles {
                running.processes.send(SIGSTOP, to: handle)
                signals += try await Self.publish(count: 12, interval: .milliseconds(40), loop: loop, topology: running.topology)
            }
            for handle in handles { running.processes.send(SIGKILL, to: handle) }
            for handle in handles {
                #expect(await running.processes.exitStatus(handle, within: .seconds(30)) != nil, "\(handle.name) still running after SIGKILL")
            }
            signals += try await Self.publish(count: 12, interval: .milliseconds(20), loop: loop, topology: running.topology)
            try await Self.expectOneDecisionEach(signals, recorder: recorder)
            // Requests the frozen replicas held were answered on a later attempt by a live one.
            let retried = Self.clientHops(recorder).filter { $0.attempts > 1 && $0.outcome == "ok" }
            #expect(retried.contains { $0.requestType == "analyze" }, "no analyze request needed a retry: \(retried.map(\.requestType))")
            await loop.shutdown()
        }
    }

    /// Replicas on a CURVE topology: the brokers hold their agent's keys, an unlisted key gets no
    /// answer, a listed identity is authorized by the replica under its own name (the operator may
    /// ping but not `execute`; the director may), and signals complete their cycles through both
    /// brokers with every replica serving.
    @Test func replicasServeOnACurveTopologyAndAuthorizeByTheCallersIdentity() async throws {
        try await RunningTopology.run(extra: pipelineSections, agentExtras: Self.replicaExtras, secure: true) { running in
            let topology = running.topology
            let store = CurveKeyStore(folder: topology.security.keysDir)
            let loop = try MessageLoop(name: "replica-curve-test")
            do {
                let recorder = try await BusRecorder.start(loop: loop, topology: topology)
                try await recorder.awaitEveryHeartbeat(timeout: .seconds(30))
                let endpoint = try topology.endpoint(of: .executionAgent).endpoint
                let agentKey = try store.publicKey(AgentName.executionAgent.rawValue)
                func client(_ identity: String, policy: RequestPolicy = RequestPolicy(attemptTimeout: .seconds(2), attempts: 5)) async throws -> RequestClient {
                    try await RequestClient.connect(loop: loop, peer: "execution-agent", endpoint: endpoint, source: "trading-director", policy: policy,
                                                    curve: .client(try store.keyPair(identity), serverKey: agentKey))
                }
                let order = OrderSubmit(clientOrderId: "replica-curve-1", account: topology.director.account, symbol: "BTC-USD",
                                        side: .buy, type: .market, qty: 0.001)

                let outsider = await #expect(throws: ProtocolError.self) {
                    _ = try await client(TestTopology.intruder, policy: RequestPolicy(attemptTimeout: .milliseconds(500), attempts: 2))
                        .request(ExecuteRequest(order: order), trace: .root())
                }
                #expect(outsider?.code == .unreachable, "\(String(describing: outsider))")
                // The broker refused the key at its frontend and says so in its heartbeat (`hedgectl status`).
                #expect(await recorder.wait(timeout: .seconds(5)) { messages in
                    messages.contains { message in
                        message.topic == Topic.heartbeat(brokerName(.executionAgent))
                            && ((try? JSONEnvelopeCodec().decode(HeartbeatPayload.self, from: message.body).payload.notes) ?? nil)?
                                .contains { $0.contains("unlisted key") } == true
                    }
                }, "no heartbeat of the execution-agent's broker reports the refused key")

                let operatorClient = try await client(SecuritySection.operatorIdentity)
                #expect(try await operatorClient.request(PingRequest(), trace: .root()).payload.agent.hasPrefix("execution-agent#"))
                let refusal = await #expect(throws: ProtocolError.self) {
                    _ = try await operatorClient.request(ExecuteRequest(order: order), trace: .root())
                }
                #expect(refusal?.code == .unauthorized && refusal?.message.contains("operator") == true, "\(String(describing: refusal))")

                let director = try await client(AgentName.tradingDirector.rawValue)
                #expect(try await director.request(ExecuteRequest(order: order), trace: .root()).payload.status == .filled)

                let signals = try await Self.publish(count: 24, interval: .milliseconds(20), loop: loop, topology: topology)
                try await Self.expectOneDecisionEach(signals, recorder: recorder)
                let served = Self.serverHops(recorder)
                for index in 1...Self.analysts {
                    #expect(served[replicaName(.quantAnalyst, index), default: 0] > 0, "server hops per process: \(served)")
                }
                for index in 1...Self.executors {
                    #expect(served[replicaName(.executionAgent, index), default: 0] > 0, "server hops per process: \(served)")
                }
            } catch {
                await loop.shutdown()
                throw error
            }
            await loop.shutdown()
        }
    }

    /// Publishes `count` signals, alternating symbols and sides, `interval` apart.
    static func publish(count: Int, interval: Duration, loop: MessageLoop, topology: Topology) async throws -> [Envelope<SignalPayload>] {
        // On a CURVE topology as the operator, who may publish signals.
        let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish, curve: try topology.curve(to: busName))
        #expect(await publisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))
        var signals: [Envelope<SignalPayload>] = []
        for index in 0..<count {
            let symbol = index % 2 == 0 ? "BTC-USD" : "ETH-USD"
            let signal = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                       payload: SignalPayload(symbol: symbol, side: index % 3 == 0 ? .sell : .buy, confidence: 0.9))
            try await publisher.publish(signal, topic: Topic.signal(symbol))
            signals.append(signal)
            try await Task.sleep(for: interval)
        }
        return signals
    }

    /// Waits for a decision for every signal, then checks there is exactly one each, none failed.
    static func expectOneDecisionEach(_ signals: [Envelope<SignalPayload>], recorder: BusRecorder) async throws {
        let ids = Set(signals.map(\.id))
        let decided = await recorder.wait(timeout: .seconds(60)) { messages in
            Set(PipelineTests.decisions(in: messages).compactMap(\.parentId)).isSuperset(of: ids)
        }
        #expect(decided, "not every signal got a decision")
        // A MarketMaker heartbeat after the last decision: nothing sent before it is still in flight.
        let seen = recorder.messages.count
        _ = await recorder.wait(timeout: .seconds(5)) { messages in
            messages.dropFirst(seen).contains { $0.topic == Topic.heartbeat(AgentName.tradingDirector.rawValue) }
        }
        let decisions = recorder.envelopes(EventType.decision, as: DecisionPayload.self)
        for signal in signals {
            let mine = decisions.filter { $0.parentId == signal.id }
            #expect(mine.count == 1, "signal \(signal.payload) got \(mine.count) decisions")
            #expect(mine.first.map { $0.payload.outcome != .failed } ?? false, "signal \(signal.id): \(mine.map(\.payload.reason))")
        }
    }

    /// Server hops of `analyze` and `execute` per publishing process, from its `trace.<process>` events.
    static func serverHops(_ recorder: BusRecorder) -> [String: Int] { serverHops(in: recorder.messages) }

    static func serverHops(in messages: [BusMessage]) -> [String: Int] {
        let codec = JSONEnvelopeCodec()
        var counts: [String: Int] = [:]
        for message in messages where Topic.kind(of: message.topic) == EventType.trace {
            guard let hop = try? codec.decode(TraceEventPayload.self, from: message.body), hop.payload.role == "server",
                  ["analyze", "execute"].contains(hop.payload.requestType) else { continue }
            counts[hop.source, default: 0] += 1
        }
        return counts
    }

    /// The client hops every process reported.
    static func clientHops(_ recorder: BusRecorder) -> [TraceEventPayload] {
        recorder.envelopes(EventType.trace, as: TraceEventPayload.self).map(\.payload).filter { $0.role == "client" }
    }
}
