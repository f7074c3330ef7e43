import Foundation
import HedgeBusTesting
@testable import Messaging
import Synchronization
import Testing
import WireFormat
import WireProtocol

/// `RequestBroker` with replicas connected through `RequestServer.connect`, in one process.
@Suite("Request broker", .serialized, .timeLimit(.minutes(2)))
struct RequestBrokerTests {
    /// A broker on free ports and `count` replicas named `replica#i`, each on its own loop.
    struct Setup {
        let broker: RequestBroker
        let brokerTask: Task<Void, any Error>
        let loops: [MessageLoop]
        let servers: [RequestServer]
        let serving: [Task<Void, Never>]

        static func make(replicas count: Int) async throws -> Setup {
            let broker = try RequestBroker(frontend: FreePort.endpoint(), backend: FreePort.endpoint())
            let brokerTask = Task { try await broker.run() }
            var loops: [MessageLoop] = [], servers: [RequestServer] = [], serving: [Task<Void, Never>] = []
            for index in 1...count {
                let loop = try MessageLoop(name: "replica\(index)")
                var handlers = RequestHandlers()
                let name = "replica#\(index)"
                handlers.on(Echo.self) { request in Echo(text: "\(name):\(request.payload.text)") }
                let server = try await RequestServer.connect(loop: loop, backend: broker.backend, name: name, handlers: handlers)
                loops.append(loop)
                servers.append(server)
                serving.append(Task { await server.run() })
            }
            return Setup(broker: broker, brokerTask: brokerTask, loops: loops, servers: servers, serving: serving)
        }

        func close() async {
            for loop in loops { await loop.shutdown() }
            for task in serving { await task.value }
            broker.stop()
            _ = try? await brokerTask.value
        }
    }

    @Test func everyReplyReachesItsClientAndEveryReplicaServes() async throws {
        let setup = try await Setup.make(replicas: 3)
        let loop = try MessageLoop(name: "client")
        do {
            // Warm-up requests may find no replica yet (the broker drops them): a short attempt.
            let warmUp = try await RequestClient.connect(loop: loop, peer: "replicated", endpoint: setup.broker.frontend, source: "warm-up",
                                                         policy: RequestPolicy(attemptTimeout: .seconds(3), attempts: 1))
            // The measured requests are each handled once: an attempt long enough that a loaded
            // machine does not retry one onto a second replica.
            let client = try await RequestClient.connect(loop: loop, peer: "replicated", endpoint: setup.broker.frontend, source: "client",
                                                         policy: RequestPolicy(attemptTimeout: .seconds(20), attempts: 1))
            // Wait until every replica has connected: a ping per replica shows up in its counters.
            _ = try await eventually("every replica connected to the broker", timeout: .seconds(20)) { () async -> Bool? in
                _ = try? await warmUp.request(Echo(text: "warm-up"), trace: .root())
                return setup.servers.allSatisfy { $0.stats.handled > 0 } ? true : nil
            }
            let before = setup.servers.map(\.stats.handled)
            let texts = (0..<90).map { "m\($0)" }
            let replies = try await withThrowingTaskGroup(of: (String, String).self) { group in
                for text in texts {
                    group.addTask { (text, try await client.request(Echo(text: text), trace: .root()).payload.text) }
                }
                return try await group.reduce(into: [String: String]()) { $0[$1.0] = $1.1 }
            }
            // Each client got the reply to its own request, from one of the replicas.
            for text in texts {
                let reply = try #require(replies[text])
                #expect(reply.hasSuffix(":\(text)") && reply.hasPrefix("replica#"), "\(text) → \(reply)")
            }
            let served = zip(setup.servers.map(\.stats.handled), before).map { $0 - $1 }
            #expect(served.reduce(0, +) == texts.count)
            #expect(served.allSatisfy { $0 > 0 }, "requests per replica: \(served)")
            #expect(setup.broker.stats.requests >= texts.count && setup.broker.stats.replies >= texts.count)
        } catch {
            await loop.shutdown()
            await setup.close()
            throw error
        }
        await loop.shutdown()
        await setup.close()
    }

    @Test func aRequestSentWhileNoReplicaIsConnectedIsAnsweredOnRetry() async throws {
        let broker = try RequestBroker(frontend: FreePort.endpoint(), backend: FreePort.endpoint())
        let brokerTask = Task { try await broker.run() }
        let loop = try MessageLoop(name: "client")
        let replicaLoop = try MessageLoop(name: "late-replica")
        let client = try await RequestClient.connect(loop: loop, peer: "replicated", endpoint: broker.frontend, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .milliseconds(300), attempts: 100))
        let pending = Task { try await client.request(Echo(text: "early"), trace: .root()) }
        // The first attempt finds no replica: the broker drops and counts it.
        _ = try await eventually("the broker counting an unrouted request", timeout: .seconds(5)) { broker.stats.unrouted > 0 ? true : nil }
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in Echo(text: "late:\(request.payload.text)") }
        let server = try await RequestServer.connect(loop: replicaLoop, backend: broker.backend, name: "late", handlers: handlers)
        let serving = Task { await server.run() }
        let reply = try await pending.value
        #expect(reply.payload.text == "late:early")
        await loop.shutdown()
        await replicaLoop.shutdown()
        await serving.value
        broker.stop()
        _ = try? await brokerTask.value
    }
}
