import Foundation
import HedgeBusTesting
import Synchronization
import Testing
import WireFormat
@testable import Messaging

/// The epoll-based wait of the message loop and the forwarding threads.
@Suite("Socket poller", .timeLimit(.minutes(1)))
struct SocketPollerTests {
    /// What one scripted run of a poller saw, step by step.
    struct Seen: Sendable, Equatable {
        var readyOnAdd = false
        var readyAfterDrainAndIdleWait = true
        var readyWhenAMessageCame = false
        var woken = false
        var readyAfterMarking = false
    }

    @Test func reportsSocketsWithInputAndTheWakeSignal() async throws {
        let seen = try await onOwnThread { () throws -> Seen in
            var seen = Seen()
            let context = try ZMQContext()
            defer { context.terminate() }
            let receiver = try context.socket(.router)
            let sender = try context.socket(.dealer)
            defer { receiver.close(); sender.close() }
            try receiver.bind("tcp://127.0.0.1:*")
            try sender.connect(try receiver.lastEndpoint())
            let wake = try WakeSignal()
            defer { wake.close() }
            let poller = try SocketPoller(wake: wake)
            try poller.add(receiver, id: 7)
            // Input may have come before the descriptor was watched, so a new socket is ready.
            seen.readyOnAdd = poller.takeReady() == [7]
            // Nothing is queued: read until it would block, then a wait that only looks finds nothing.
            _ = try receiver.receive(wait: false)
            _ = try poller.wait(timeoutMillis: 0)
            seen.readyAfterDrainAndIdleWait = poller.hasReady
            // A message arriving fires the descriptor; the wait returns with the socket ready. The
            // descriptor may also fire for the connection's own events (the peer's pipe attaching)
            // before the message is there: readiness means "look", so look until it comes, and
            // count it only when the message was read on a readiness report.
            try sender.send([Data("ping".utf8)], wait: true)
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while !seen.readyWhenAMessageCame && ContinuousClock.now < deadline {
                _ = try poller.wait(timeoutMillis: 1_000)
                guard poller.takeReady() == [7] else { continue }
                seen.readyWhenAMessageCame = try receiver.receive(wait: false)?.last == Data("ping".utf8)
            }
            // The wake signal ends a wait that would otherwise last ten seconds.
            wake.raise()
            seen.woken = try poller.wait(timeoutMillis: 10_000)
            poller.markReady(7)
            poller.markReady(7)
            seen.readyAfterMarking = poller.takeReady() == [7]
            poller.remove(receiver, id: 7)
            return seen
        }
        #expect(seen == Seen(readyOnAdd: true, readyAfterDrainAndIdleWait: false, readyWhenAMessageCame: true, woken: true,
                             readyAfterMarking: true))
    }

    /// Client and server each run on their own loop as agents do (tasks on the loop thread), with
    /// many requests in flight: the client's socket sends and receives in the same rounds, where a
    /// send can take the command that announced a reply. Every request must still get its reply.
    @Test func pipelinedRequestsOnLoopExecutorsAllGetTheirReplies() async throws {
        let serverLoop = try MessageLoop(name: "poller-server")
        let clientLoop = try MessageLoop(name: "poller-client")
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in Echo(text: request.payload.text.uppercased()) }
        let server = try await RequestServer.bind(loop: serverLoop, endpoint: "tcp://127.0.0.1:*", name: "server", handlers: handlers)
        let serving = Task(executorPreference: serverLoop) { await server.run() }
        let client = try await RequestClient.connect(loop: clientLoop, peer: "server", endpoint: server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(5), attempts: 1))
        let answered = try await withTaskExecutorPreference(clientLoop) {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        var right = true
                        for round in 0..<25 {
                            let text = "w\(worker)-r\(round)"
                            let reply = try await client.request(Echo(text: text), trace: .root())
                            right = right && reply.payload.text == text.uppercased()
                        }
                        return right
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        #expect(answered == 16)
        #expect(server.stats.handled == 16 * 25)
        client.close()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
        await serving.value
    }
}
