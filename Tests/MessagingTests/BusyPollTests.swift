import Foundation
import Testing
import WireFormat
@testable import Messaging

/// A loop with a busy-poll window takes what comes within it without sleeping, and still
/// sleeps once the window has passed with nothing to do; a loop without one never polls busily.
@Suite("Busy polling", .timeLimit(.minutes(1)))
struct BusyPollTests {
    /// Runs `rounds` echo round trips from a client loop to a server loop, each with `busyPoll`;
    /// returns how many replies came back right, and the two loops (still running).
    private static func roundTrips(_ rounds: Int, busyPoll: Duration) async throws -> (replies: Int, client: MessageLoop, server: MessageLoop, close: @Sendable () async -> Void) {
        let serverLoop = try MessageLoop(name: "busy-poll-server", busyPoll: busyPoll)
        let clientLoop = try MessageLoop(name: "busy-poll-client", busyPoll: busyPoll)
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in Echo(text: request.payload.text) }
        let server = try await RequestServer.bind(loop: serverLoop, endpoint: "tcp://127.0.0.1:*", name: "server", handlers: handlers)
        let serving = Task(executorPreference: serverLoop) { await server.run() }
        let client = try await RequestClient.connect(loop: clientLoop, peer: "server", endpoint: server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(10), attempts: 1))
        let replies = try await withTaskExecutorPreference(clientLoop) {
            var replies = 0
            for index in 0..<rounds where try await client.request(Echo(text: "n\(index)"), trace: .root()).payload.text == "n\(index)" {
                replies += 1
            }
            return replies
        }
        return (replies, clientLoop, serverLoop, {
            client.close()
            await clientLoop.shutdown()
            await serverLoop.shutdown()
            await serving.value
        })
    }

    @Test func repliesThatComeWithinTheWindowAreTakenWithoutSleepingAndTheLoopSleepsOnceItPasses() async throws {
        // A window far longer than a loopback round trip, so replies land inside it even on a
        // loaded machine.
        let (replies, client, server, close) = try await Self.roundTrips(20, busyPoll: .milliseconds(200))
        #expect(replies == 20)
        #expect(client.stats.busyPollHits > 0, "the client loop took no reply while polling: \(client.stats)")
        #expect(server.stats.busyPollHits > 0, "the server loop took no request while polling: \(server.stats)")
        // With nothing more to do, the window runs out and the loop sleeps: polling is bounded.
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(10))
        while (client.stats.busyPollMisses == 0 || server.stats.busyPollMisses == 0) && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(client.stats.busyPollMisses > 0, "the client loop never stopped polling: \(client.stats)")
        #expect(server.stats.busyPollMisses > 0, "the server loop never stopped polling: \(server.stats)")
        await close()
    }

    @Test func aLoopWithoutAWindowNeverPollsBusily() async throws {
        let (replies, client, server, close) = try await Self.roundTrips(20, busyPoll: .zero)
        #expect(replies == 20)
        for stats in [client.stats, server.stats] {
            #expect(stats.busyPollHits == 0 && stats.busyPollMisses == 0, "\(stats)")
        }
        #expect(client.busyPoll == .zero && server.busyPoll == .zero)
        await close()
    }
}
