import Foundation
import Testing
import WireFormat
@testable import Messaging

/// A request or reply read by a message loop, and the message its work sends out on the same
/// socket, cost one read that finds the socket empty between them, not two: the loop reads the
/// socket again only after the work the message queued (the send included) has run.
@Suite("Empty reads", .timeLimit(.minutes(1)))
struct EmptyReadTests {
    @Test func aRoundTripCostsEachLoopOneEmptyReadOfItsSocket() async throws {
        let serverLoop = try MessageLoop(name: "empty-reads-server")
        let clientLoop = try MessageLoop(name: "empty-reads-client")
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in Echo(text: request.payload.text) }
        let server = try await RequestServer.bind(loop: serverLoop, endpoint: "tcp://127.0.0.1:*", name: "server", handlers: handlers)
        let serving = Task(executorPreference: serverLoop) { await server.run() }
        let client = try await RequestClient.connect(loop: clientLoop, peer: "server", endpoint: server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(10), attempts: 1))
        // As the agents do: the requests run on the client's loop, the handlers on the server's.
        let rounds = 200
        let (client0, server0, replies) = try await withTaskExecutorPreference(clientLoop) {
            _ = try await client.request(Echo(text: "warm-up"), trace: .root())
            let before = (clientLoop.stats.emptyReads, serverLoop.stats.emptyReads)
            var replies = 0
            for index in 0..<rounds where try await client.request(Echo(text: "n\(index)"), trace: .root()).payload.text == "n\(index)" {
                replies += 1
            }
            return (before.0, before.1, replies)
        }
        #expect(replies == rounds)
        // Reading until the socket is empty after the reply came, and again after the next
        // request went out, would be two per round trip on each side. A stray extra wake-up
        // (libzmq's own commands) may add one now and then.
        let clientEmpty = clientLoop.stats.emptyReads - client0
        let serverEmpty = serverLoop.stats.emptyReads - server0
        #expect(clientEmpty <= rounds + rounds / 4, "client: \(clientEmpty) empty reads over \(rounds) round trips")
        #expect(serverEmpty <= rounds + rounds / 4, "server: \(serverEmpty) empty reads over \(rounds) round trips")
        client.close()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
        await serving.value
    }
}
