import AgentRuntime
import Configuration
import Foundation
import HedgeBusTesting
import Messaging
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// A topology with CURVE on, run as real processes: the operator's key completes a cycle, a
/// key nobody lists gets nothing in or out, and listed identities are held to their roles.
@Suite("CURVE topology between real processes", .serialized, .timeLimit(.minutes(3)))
struct SecureTopologyTests {
    @Test func outsidersAreShutOutRolesAreEnforcedAndTheOperatorStillTrades() async throws {
        try await RunningTopology.run(extra: pipelineSections, secure: true) { running in
            let topology = running.topology
            let store = CurveKeyStore(folder: topology.security.keysDir)
            let intruder = try store.keyPair(TestTopology.intruder)
            let loop = try MessageLoop(name: "secure-test")
            do {
                try await Self.exercise(topology: topology, store: store, intruder: intruder, loop: loop)
                // What the agents wrote holds balances and trades: their owner's only.
                for path in [running.ledgerPath, running.analyticsPath, store.folder, store.secretKeyPath(AgentName.marketMaker.rawValue)] {
                    let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
                    #expect(mode.map { $0 & 0o077 == 0 } == true, "\(path) has mode \(String(mode ?? -1, radix: 8))")
                }
            } catch {
                await loop.shutdown()
                throw error
            }
            await loop.shutdown()
        }
    }

    private static func exercise(topology: Topology, store: CurveKeyStore, intruder: CurveKeyPair, loop: MessageLoop) async throws {
        let recorder = try await BusRecorder.start(loop: loop, topology: topology)
        try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
        let intruderToBus = CurveRole.client(intruder, serverKey: try store.publicKey(busName))
        // Bounded for what must find no connection; patient for what must be answered on a loaded machine.
        let quick = RequestPolicy(attemptTimeout: .milliseconds(500), attempts: 2)
        let patient = RequestPolicy(attemptTimeout: .seconds(2), attempts: 5)

        // An unlisted key reads no inventory: its subscription never gets past the handshake.
        let intruderReads = Counter()
        let stolen = try await BusSubscriber.connect(loop: loop, endpoint: topology.bus.subscribe, topics: ["inventory.", "fill."], curve: intruderToBus).messages
        Task { for await _ in stolen { intruderReads.add() } }
        let subscribedAt = WallClock.micros()

        // …injects no signal: no subscriber ever shows through the bus, and what it sends anyway is never decided.
        let intruderPublisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish, curve: intruderToBus)
        #expect(!(await intruderPublisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(2))))
        let forged = Envelope.make(type: EventType.signal, source: "operator", trace: .root(),
                                   payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.95))
        try? await intruderPublisher.publish(forged, topic: Topic.signal("BTC-USD"))

        // …and trades nothing: the MarketMaker never completes its handshake.
        let order = OrderSubmit(clientOrderId: "intruder-1", account: topology.director.account, symbol: "BTC-USD", side: .buy, type: .market, qty: 0.01)
        let intruderVenue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint,
                                                            source: "execution-agent", policy: quick,
                                                            curve: .client(intruder, serverKey: try store.publicKey(AgentName.marketMaker.rawValue)))
        #expect(await Self.failure { _ = try await intruderVenue.request(order, trace: .root()) }?.code == .unreachable)

        // A listed identity outside its role is refused by name: the director may not submit orders,
        // the operator may not call `execute`, and the ExecutionAgent may not trade an account it was not given.
        let directorVenue = try await Self.client(.marketMaker, as: "trading-director", topology: topology, policy: patient, loop: loop)
        let refusal = await Self.failure { _ = try await directorVenue.request(order, trace: .root()) }
        #expect(refusal?.code == .unauthorized)
        #expect(refusal?.message.contains("trading-director") == true && refusal?.message.contains("order.submit") == true, "\(String(describing: refusal))")
        let operatorExecution = try await Self.client(.executionAgent, as: "operator", topology: topology, policy: patient, loop: loop)
        #expect(await Self.failure { _ = try await operatorExecution.request(ExecuteRequest(order: order), trace: .root()) }?.code == .unauthorized)
        let executionVenue = try await Self.client(.marketMaker, as: "execution-agent", topology: topology, policy: patient, loop: loop)
        var otherAccount = order
        otherAccount.account = "someone-else"
        let accountRefusal = await Self.failure { _ = try await executionVenue.request(otherAccount, trace: .root()) }
        #expect(accountRefusal?.code == .unauthorized && accountRefusal?.message.contains("someone-else") == true, "\(String(describing: accountRefusal))")

        // The listed, authorized path still completes a whole cycle.
        let operatorPublisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish, curve: try topology.curve(to: busName))
        #expect(await operatorPublisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))
        let signal = Envelope.make(type: EventType.signal, source: "operator", trace: .root(),
                                   payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.9))
        try await operatorPublisher.publish(signal, topic: Topic.signal("BTC-USD"))
        let decided = await recorder.wait(timeout: .seconds(30)) { messages in
            messages.contains { $0.topic.hasPrefix("decision.") && (try? JSONEnvelopeCodec().decodeHeader(from: $0.body).parentId) == signal.id }
        }
        #expect(decided, "the operator's signal got no decision")
        let decisions = recorder.envelopes(EventType.decision, as: DecisionPayload.self)
        #expect(decisions.first { $0.parentId == signal.id }?.payload.outcome == .filled)
        // The director's lane is FIFO and the forged signal, had it arrived, came first.
        #expect(!decisions.contains { $0.parentId == forged.id }, "the intruder's signal was decided")

        // Inventory flowed after the intruder subscribed (the fill changed it) and reached the operator only.
        #expect(await recorder.wait(timeout: .seconds(10)) { messages in
            messages.contains { $0.topic.hasPrefix("inventory.") && ((try? JSONEnvelopeCodec().decodeHeader(from: $0.body).ts) ?? 0) > subscribedAt }
        })
        #expect(intruderReads.value == 0, "the intruder read \(intruderReads.value) inventory or fill message(s)")

        // The bus says what it refused: the intruder's handshakes appear in its heartbeat.
        #expect(await recorder.wait(timeout: .seconds(5)) { messages in
            messages.contains { message in
                message.topic == Topic.heartbeat(busName)
                    && ((try? JSONEnvelopeCodec().decode(HeartbeatPayload.self, from: message.body).payload.notes) ?? nil)?.contains { $0.contains("unlisted key") } == true
            }
        })
    }

    private static func client(_ agent: AgentName, as identity: String, topology: Topology, policy: RequestPolicy,
                               loop: MessageLoop) async throws -> RequestClient {
        try await RequestClient.connect(loop: loop, peer: agent.rawValue, endpoint: try topology.endpoint(of: agent).endpoint,
                                        source: "execution-agent", policy: policy, curve: try topology.curve(to: agent.rawValue, as: identity))
    }

    private static func failure(_ body: () async throws -> Void) async -> ProtocolError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? ProtocolError ?? ProtocolError(.internalError, "\(error)")
        }
    }
}

/// A count shared with a consuming task.
private final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
