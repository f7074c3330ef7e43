import CZeroMQ
import Foundation
import Glibc
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

    /// What a run of the deferred check saw.
    struct DeferredSeen: Sendable, Equatable {
        var firstSubscription: Data?
        var announcedAfterCommandsTaken = true
        var firstCheckAtOnce = false
        var secondSubscription: Data?
        var secondCheckAtOnce = true
        var readyWithinDelay = false
        var thirdSubscription: Data?
    }

    /// An XPUB's subscription whose command a send (here: `processCommands`, as inside a send)
    /// took is never announced by the descriptor: without a check after the send the socket would
    /// not be read again. `markReady(_:within:)` checks at once the first time, then at most once
    /// per delay: a later check waits out the delay and then makes the socket ready.
    @Test func aDeferredCheckReadsInputTheDescriptorNeverAnnounced() async throws {
        let seen = try await onOwnThread { () throws -> DeferredSeen in
            var seen = DeferredSeen()
            let context = try ZMQContext()
            defer { context.terminate() }
            let publisher = try context.socket(.xpub)
            let subscriber = try context.socket(.sub)
            defer { publisher.close(); subscriber.close() }
            try publisher.setOption(ZMQ_RCVTIMEO, Int32(10_000))
            try publisher.bind("tcp://127.0.0.1:*")
            try subscriber.connect(try publisher.lastEndpoint())
            try subscriber.setOption(ZMQ_SUBSCRIBE, bytes: Data("a".utf8))
            // The connection is attached and its first subscription read.
            seen.firstSubscription = try publisher.receive(wait: true)?.first
            let wake = try WakeSignal()
            defer { wake.close() }
            let poller = try SocketPoller(wake: wake)
            try poller.add(publisher, id: 3)
            _ = poller.takeReady()
            _ = try publisher.receive(wait: false)
            _ = try poller.wait(timeoutMillis: 0)
            _ = poller.takeReady()

            /// Subscribes to `prefix` and lets something other than a read on the XPUB take the
            /// command announcing it; false if the command never came.
            func subscribeUnannounced(_ prefix: String) throws -> Bool {
                try subscriber.setOption(ZMQ_SUBSCRIBE, bytes: Data(prefix.utf8))
                var pollfd = pollfd(fd: try publisher.eventDescriptor(), events: Int16(POLLIN), revents: 0)
                guard poll(&pollfd, 1, 10_000) == 1 else { return false }
                publisher.processCommands()
                return true
            }
            guard try subscribeUnannounced("b") else { return seen }
            _ = try poller.wait(timeoutMillis: 100)
            seen.announcedAfterCommandsTaken = poller.hasReady
            poller.markReady(3, within: .seconds(1))
            seen.firstCheckAtOnce = poller.takeReady() == [3]
            seen.secondSubscription = try publisher.receive(wait: false)?.first

            guard try subscribeUnannounced("c") else { return seen }
            let started = ContinuousClock.now
            poller.markReady(3, within: .seconds(1))
            seen.secondCheckAtOnce = poller.hasReady
            while !poller.hasReady && ContinuousClock.now - started < .seconds(5) { _ = try poller.wait(timeoutMillis: 10_000) }
            seen.readyWithinDelay = poller.takeReady() == [3] && ContinuousClock.now - started < .seconds(5)
            seen.thirdSubscription = try publisher.receive(wait: false)?.first
            return seen
        }
        #expect(seen == DeferredSeen(firstSubscription: Data([1]) + Data("a".utf8), announcedAfterCommandsTaken: false,
                                     firstCheckAtOnce: true, secondSubscription: Data([1]) + Data("b".utf8), secondCheckAtOnce: false,
                                     readyWithinDelay: true, thirdSubscription: Data([1]) + Data("c".utf8)))
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
