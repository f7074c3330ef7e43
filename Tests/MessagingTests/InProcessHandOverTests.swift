import Foundation
import HedgeBusTesting
import Synchronization
import Testing
import WireFormat
@testable import Messaging

/// A request payload that refuses negative counts, as payloads refuse impossible numbers.
struct Countdown: RequestPayload, Hashable {
    static var requestType: String { "countdown" }
    typealias Reply = Countdown
    var count: Int

    func validate() throws(ProtocolError) {
        guard count >= 0 else { throw ProtocolError(.invalidValue, "field 'payload.count' must not be negative, got \(count)") }
    }
}

/// A client asking at an `inproc://` endpoint of a server on its own loop, from the loop thread,
/// hands each request over as a value: the server answers it with no message on either socket,
/// with the same replies, errors, counters and hops as through the socket.
@Suite("Requests handed over in one process", .timeLimit(.minutes(1)))
struct InProcessHandOverTests {
    /// A server at a TCP endpoint and an `inproc://` one, serving on its loop, with a client on
    /// the same loop at the `inproc://` one; both record their hops.
    struct Pair {
        let loop: MessageLoop
        let server: RequestServer
        let client: RequestClient
        let serving: Task<Void, Never>

        static func start(_ name: String) async throws -> (Pair, Recorder) {
            let loop = try MessageLoop(name: name)
            let recorder = Recorder()
            var handlers = RequestHandlers()
            handlers.on(Echo.self) { request in
                recorder.calls.withLock { $0 += 1 }
                guard request.payload.text != "fail" else { throw ProtocolError(.notFound, "told to fail") }
                return Echo(text: request.payload.text + " back")
            }
            handlers.on(Countdown.self) { request in Countdown(count: request.payload.count - 1) }
            let observe = HopObserver { hop in recorder.hops.withLock { $0.append(hop) } }
            let inproc = "inproc://hand-over.\(name)"
            let server = try await RequestServer.bind(loop: loop, endpoint: "tcp://127.0.0.1:*", alsoBinding: [inproc], name: "server",
                                                      handlers: handlers, observer: observe)
            let serving = Task(executorPreference: loop) { await server.run() }
            let client = try await RequestClient.connect(loop: loop, peer: "server", endpoint: inproc, source: "client",
                                                         policy: RequestPolicy(attemptTimeout: .seconds(5), attempts: 1), observer: observe)
            return (Pair(loop: loop, server: server, client: client, serving: serving), recorder)
        }

        func stop() async {
            client.close()
            await loop.shutdown()
            await serving.value
        }

        /// `outcome` once the server serves (a request before that goes through the socket and is held).
        func onLoop<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
            try await withTaskExecutorPreference(loop) {
                while !server.takesHandOvers { await Task.yield() }
                return try await body()
            }
        }
    }

    @Test func requestsOnTheLoopThreadReachTheHandlerWithNoMessageOnAnySocket() async throws {
        let (pair, recorder) = try await Pair.start("values")
        let before = pair.loop.stats
        let replies = try await pair.onLoop { [client = pair.client] in
            var replies: [String] = []
            for index in 0..<50 { replies.append(try await client.request(Echo(text: "n\(index)"), trace: .root()).payload.text) }
            return replies
        }
        #expect(replies == (0..<50).map { "n\($0) back" })
        #expect(recorder.calls.withLock { $0 } == 50)
        let after = pair.loop.stats
        #expect(after.sent == before.sent && after.received == before.received, "requests went through sockets: \(before) → \(after)")
        #expect(pair.server.stats.handled == 50 && pair.server.stats.errors == 0)
        // Each request is one hop on each side, matched by its ids, as over the wire.
        let hops = recorder.hops.withLock { $0 }
        let clientHops = hops.filter { $0.role == .client }, serverHops = hops.filter { $0.role == .server }
        #expect(clientHops.count == 50 && serverHops.count == 50)
        #expect(Set(clientHops.map(\.requestId)) == Set(serverHops.map(\.requestId)))
        #expect(Set(clientHops.compactMap(\.replyId)) == Set(serverHops.compactMap(\.replyId)))
        #expect(serverHops.allSatisfy { $0.peer == "client" && $0.outcome == "ok" && $0.requestType == "echo" })
        #expect(pair.loop.awaitedReplies.load(ordering: .relaxed) == 0)
        await pair.stop()
    }

    @Test func errorsArriveAsTheyWouldThroughTheSocket() async throws {
        let (pair, _) = try await Pair.start("errors")
        let tcp = try await RequestClient.connect(loop: pair.loop, peer: "server", endpoint: pair.server.endpoint, source: "client",
                                                  policy: RequestPolicy(attemptTimeout: .seconds(5), attempts: 1))
        /// The code and message of the error each client gets for `payload`.
        @Sendable func failure<R: RequestPayload>(_ payload: R, via client: RequestClient) async -> String {
            do {
                _ = try await client.request(payload, trace: .root())
                return "answered"
            } catch {
                return "\(error.code): \(error.message)"
            }
        }
        let (handed, sent) = try await pair.onLoop { [client = pair.client] in
            (await [failure(Echo(text: "fail"), via: client), failure(Countdown(count: -1), via: client)],
             await [failure(Echo(text: "fail"), via: tcp), failure(Countdown(count: -1), via: tcp)])
        }
        #expect(handed[0].hasPrefix("not_found: told to fail"), "\(handed)")
        #expect(handed[1].hasPrefix("invalid_value:"), "\(handed)")
        #expect(handed == sent)
        // Two errors each way.
        #expect(pair.server.stats.errors == 4)
        tcp.close()
        await pair.stop()
    }

    @Test func aRequestOffTheLoopThreadGoesThroughTheSocket() async throws {
        let (pair, recorder) = try await Pair.start("off-loop")
        try await pair.onLoop {}
        let before = pair.loop.stats
        // Not on the loop: the request is sent, read by the server's socket and answered there.
        let reply = try await Task.detached { [client = pair.client] in
            try await client.request(Echo(text: "from afar"), trace: .root()).payload.text
        }.value
        #expect(reply == "from afar back")
        #expect(recorder.calls.withLock { $0 } == 1)
        // The loop counts a read once the batch it belongs to is handed on, so the count may lag the reply a moment.
        let counted = ContinuousClock.now.advanced(by: .seconds(5))
        while pair.loop.stats.received < before.received + 2, ContinuousClock.now < counted { await Task.yield() }
        let after = pair.loop.stats
        #expect(after.received >= before.received + 2 && after.sent >= before.sent + 2, "\(before) → \(after)")
        await pair.stop()
    }

    @Test func cancellingTheClientDoesNotReachTheHandler() async throws {
        let loop = try MessageLoop(name: "hand-over-cancel")
        // The handler says it has started, waits to be let go, then reports whether it was cancelled.
        let started = AsyncStream<Void>.makeStream(), release = AsyncStream<Void>.makeStream()
        let sawCancellation = Mutex<Bool?>(nil)
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in
            started.continuation.yield()
            for await _ in release.stream { break }
            sawCancellation.withLock { $0 = Task.isCancelled }
            return request.payload
        }
        let server = try await RequestServer.bind(loop: loop, endpoint: "inproc://hand-over.cancel", name: "server", handlers: handlers)
        let serving = Task(executorPreference: loop) { await server.run() }
        let client = try await RequestClient.connect(loop: loop, peer: "server", endpoint: server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(5), attempts: 1))
        let asking = Task(executorPreference: loop) {
            while !server.takesHandOvers { await Task.yield() }
            return try await client.request(Echo(text: "held"), trace: .root()).payload.text
        }
        for await _ in started.stream { break }
        asking.cancel()
        release.continuation.yield()
        let reply = try await asking.value
        #expect(reply == "held")
        #expect(sawCancellation.withLock { $0 } == false, "the client's cancellation reached the handler")
        #expect(loop.stats.sent == 0, "the request went through the socket: \(loop.stats)")
        client.close()
        await loop.shutdown()
        await serving.value
    }

    @Test func onceTheServerStopsServingRequestsGoThroughTheSocketAgain() async throws {
        let (pair, recorder) = try await Pair.start("stopped")
        // Handed over: the client now keeps this server.
        let first = try await pair.onLoop { [client = pair.client] in try await client.request(Echo(text: "one"), trace: .root()).payload.text }
        #expect(first == "one back")
        #expect(pair.loop.stats.sent == 0)
        pair.serving.cancel()
        await pair.serving.value
        #expect(!pair.server.takesHandOvers)
        // The kept server no longer serves: the request is sent, and no one answers it.
        let outcome = await withTaskExecutorPreference(pair.loop) { [client = pair.client] () async -> String in
            do throws(ProtocolError) {
                return try await client.request(Echo(text: "two"), trace: .root(),
                                                policy: RequestPolicy(attemptTimeout: .milliseconds(200), attempts: 1)).payload.text
            } catch {
                return error.code.rawValue
            }
        }
        #expect(outcome == "timeout" || outcome == "unreachable", "\(outcome)")
        #expect(pair.loop.stats.sent >= 1, "the request was not sent: \(pair.loop.stats)")
        #expect(recorder.calls.withLock { $0 } == 1)
        pair.client.close()
        await pair.loop.shutdown()
    }
}
