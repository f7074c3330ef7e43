import Foundation
import HedgeBusTesting
@testable import Messaging
import Synchronization
import Testing
import WireFormat
import WireProtocol

/// A CURVE request broker with the agent's keys in front of two replicas: clients are
/// authenticated at the broker, and each replica authorizes by the identity the broker hands it.
@Suite("CURVE request broker", .serialized, .timeLimit(.minutes(2)))
struct CurveBrokerTests {
    @Test func callersAreAuthenticatedAtTheBrokerAndAuthorizedByTheReplicaUnderTheirOwnName() async throws {
        let (agent, alice, bob, mallory) = (try CurveKeyPair.generate(), try CurveKeyPair.generate(), try CurveKeyPair.generate(), try CurveKeyPair.generate())
        let zap = ZAPPolicy(domains: ["svc": [alice.publicKey: "alice", bob.publicKey: "bob"],
                                      BrokerSecurity.backendDomain(of: "svc"): [agent.publicKey: "svc"]])
        let broker = try RequestBroker(frontend: FreePort.endpoint(), backend: FreePort.endpoint(), security: BrokerSecurity(agent: "svc", keys: agent, zap: zap))
        let brokerTask = Task { try await broker.run() }
        let seen = Mutex<[String?]>([])
        var loops: [MessageLoop] = [], servers: [RequestServer] = [], serving: [Task<Void, Never>] = []
        // Two replicas holding the agent's keys, and one with a key of its own that must never attach.
        for (index, keys) in [(1, agent), (2, agent), (3, mallory)] {
            let loop = try MessageLoop(name: "replica\(index)")
            var handlers = RequestHandlers()
            handlers.on(Echo.self) { Echo(text: "svc#\(index):\($0.payload.text)") }
            let server = try await RequestServer.connect(
                loop: loop, backend: broker.backend, name: "svc#\(index)", handlers: handlers,
                curve: .client(keys, serverKey: agent.publicKey),
                authorize: { request in
                    seen.withLock { $0.append(request.userId) }
                    return request.userId == "alice" ? nil : ProtocolError(.unauthorized, "\(request.userId ?? "nobody") may not call '\(request.header.type)'")
                })
            loops.append(loop)
            servers.append(server)
            serving.append(Task { await server.run() })
        }
        let clients = try MessageLoop(name: "curve-broker-clients")
        func client(_ keys: CurveKeyPair, answered: Bool) async throws -> RequestClient {
            try await RequestClient.connect(loop: clients, peer: "svc", endpoint: broker.frontend, source: "alice",
                                            policy: answered ? RequestPolicy(attemptTimeout: .seconds(2), attempts: 5)
                                                             : RequestPolicy(attemptTimeout: .milliseconds(400), attempts: 1),
                                            curve: .client(keys, serverKey: agent.publicKey))
        }
        do {
            // Alice is served, by both real replicas over a few requests, never by the impostor.
            let aliceClient = try await client(alice, answered: true)
            // Until both have completed their handshakes with the broker and answered (30 s at most:
            // CURVE handshakes are slow on a loaded machine).
            var repliedBy: Set<String> = []
            var index = 0
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while repliedBy.count < 2 || index < 4, ContinuousClock.now < deadline {
                let text = try await aliceClient.request(Echo(text: "m\(index)"), trace: .root()).payload.text
                #expect(text.hasSuffix(":m\(index)"))
                repliedBy.insert(String(text.prefix(while: { $0 != ":" })))
                index += 1
            }
            #expect(repliedBy == ["svc#1", "svc#2"], "replies came from \(repliedBy)")
            #expect(servers[2].stats.handled == 0, "a replica without the agent's key was served requests")

            // Bob is listed, so he reaches a replica, which refuses him by his own name (not his `source`).
            let refusal = await #expect(throws: ProtocolError.self) {
                _ = try await client(bob, answered: true).request(Echo(text: "x"), trace: .root())
            }
            #expect(refusal?.code == .unauthorized && refusal?.message.contains("bob") == true, "\(String(describing: refusal))")

            // Mallory is listed nowhere: her handshake with the broker never completes.
            let unlisted = await #expect(throws: ProtocolError.self) {
                _ = try await client(mallory, answered: false).request(Echo(text: "x"), trace: .root())
            }
            #expect(unlisted?.code == .unreachable)
            #expect(!seen.withLock { $0 }.contains { $0 == nil || $0 == "mallory" }, "identities seen: \(seen.withLock { $0 })")
            // The broker's ZAP handler counts a refusal when it handles the handshake, which a loaded
            // machine may do after mallory's client has given up.
            _ = try await eventually("the broker refusing the impostor replica and mallory", timeout: .seconds(10)) {
                broker.stats.refusedHandshakes >= 2 ? true : nil
            }
        } catch {
            await clients.shutdown()
            for loop in loops { await loop.shutdown() }
            broker.stop()
            throw error
        }
        await clients.shutdown()
        for loop in loops { await loop.shutdown() }
        for task in serving { await task.value }
        broker.stop()
        _ = try? await brokerTask.value
    }
}
