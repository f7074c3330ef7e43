import Foundation
@testable import Messaging
import Synchronization
import Testing
import WireFormat
import WireProtocol

/// A server run on its message loop starts each request's handler on the loop thread as the
/// request is read; its guarantees stay those of any server: a retry gets the recorded reply,
/// requests that came before `run()` are answered, cancelling `run()` cancels what is running,
/// and the metrics are kept per request type and outcome.
@Suite("Request intake", .timeLimit(.minutes(2)))
struct RequestIntakeTests {
    /// A server on `serverLoop` (served on it) and a raw DEALER on a loop of its own, whose
    /// replies arrive in `replies`.
    private struct RawSetup {
        let serverLoop: MessageLoop
        let clientLoop: MessageLoop
        let server: RequestServer
        let dealer: SocketHandle
        let replies: AsyncStream<Data>

        static func make(handlers: RequestHandlers) async throws -> RawSetup {
            let serverLoop = try MessageLoop(name: "intake-server")
            let clientLoop = try MessageLoop(name: "intake-client")
            let server = try await RequestServer.bind(loop: serverLoop, endpoint: "tcp://127.0.0.1:*", name: "server", handlers: handlers)
            let (replies, delivered) = AsyncStream.makeStream(of: Data.self)
            let dealer = try await clientLoop.open(SocketSpec(kind: .dealer, connects: [server.endpoint])) { frames in
                if let body = frames.last { delivered.yield(body) }
            }
            return RawSetup(serverLoop: serverLoop, clientLoop: clientLoop, server: server, dealer: dealer, replies: replies)
        }

        func send(_ body: Data) async throws {
            try await clientLoop.send([Data(), body], on: dealer)
        }

        func close() async {
            await clientLoop.shutdown()
            await serverLoop.shutdown()
        }
    }

    private static func echoRequest(_ text: String) throws -> Data {
        try JSONEnvelopeCodec().encode(Envelope.make(type: Echo.requestType, source: "raw", trace: .root(), payload: Echo(text: text)))
    }

    @Test func aRetryOfARequestHandledOnTheLoopGetsTheRecordedReplyAndRunsNothing() async throws {
        let calls = Mutex(0)
        let onLoopThread = Mutex<[Bool]>([])
        let serverLoop = Mutex<MessageLoop?>(nil)
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in
            calls.withLock { $0 += 1 }
            onLoopThread.withLock { $0.append(serverLoop.withLock { $0 }?.isLoopThread == true) }
            return Echo(text: request.payload.text.uppercased())
        }
        let setup = try await RawSetup.make(handlers: handlers)
        serverLoop.withLock { $0 = setup.serverLoop }
        let serving = Task(executorPreference: setup.serverLoop) { await setup.server.run() }
        let request = try Self.echoRequest("again")
        var replies = setup.replies.makeAsyncIterator()
        try await setup.send(request)
        let first = try #require(await replies.next())
        try await setup.send(request)
        let second = try #require(await replies.next())
        // The same bytes, reply id included: the handler did not run a second time.
        #expect(first == second)
        let reply = try JSONEnvelopeCodec().decode(Echo.self, from: first)
        #expect(reply.payload.text == "AGAIN")
        #expect(calls.withLock { $0 } == 1)
        #expect(onLoopThread.withLock { $0 } == [true])
        #expect(setup.server.stats.handled == 2)
        await setup.close()
        await serving.value
    }

    @Test func requestsReadBeforeServingStartsAreAnsweredOnceItDoes() async throws {
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in Echo(text: request.payload.text.uppercased()) }
        let setup = try await RawSetup.make(handlers: handlers)
        try await setup.send(try Self.echoRequest("early"))
        // Handshake: the server's loop has read the request, and nothing serves it yet.
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while setup.serverLoop.stats.received == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(setup.serverLoop.stats.received == 1)
        #expect(setup.server.stats.handled == 0)
        let serving = Task(executorPreference: setup.serverLoop) { await setup.server.run() }
        var replies = setup.replies.makeAsyncIterator()
        let reply = try JSONEnvelopeCodec().decode(Echo.self, from: try #require(await replies.next()))
        #expect(reply.payload.text == "EARLY")
        await setup.close()
        await serving.value
    }

    /// Echo handlers that hold each request whose text is `held` (every request when nil) until
    /// the handler is cancelled: `entered` yields as one starts holding, `cancelled` tells whether
    /// the last one to finish holding saw its cancellation.
    private final class HoldingHandlers: Sendable {
        let entered: AsyncStream<Void>
        let cancelled = Mutex<Bool?>(nil)
        private let enter: AsyncStream<Void>.Continuation
        private let held: String?

        init(holding held: String? = nil) {
            (entered, enter) = AsyncStream.makeStream(of: Void.self)
            self.held = held
        }

        var handlers: RequestHandlers {
            var handlers = RequestHandlers()
            handlers.on(Echo.self) { [self] request in
                guard held == nil || request.payload.text == held else { return Echo(text: request.payload.text) }
                enter.yield()
                // Far beyond the suite's time limit: only cancellation ends it.
                do { try await Task.sleep(for: .seconds(600)) } catch {}
                cancelled.withLock { $0 = Task.isCancelled }
                return Echo(text: request.payload.text)
            }
            return handlers
        }
    }

    @Test(arguments: [false, true])
    func cancellingRunCancelsTheRequestsBeingHandledAndWaitsForThem(onLoop: Bool) async throws {
        let holding = HoldingHandlers()
        let setup = try await RawSetup.make(handlers: holding.handlers)
        let serving = Task(executorPreference: onLoop ? setup.serverLoop : nil) { await setup.server.run() }
        try await setup.send(try Self.echoRequest("held"))
        for await _ in holding.entered { break }
        serving.cancel()
        await serving.value
        // run() returned only after the handler had seen its cancellation and finished.
        #expect(holding.cancelled.withLock { $0 } == true)
        await setup.close()
    }

    /// Requests that finished free their places for later ones; cancelling `run()` still reaches
    /// a request running in a reused place.
    @Test(arguments: [false, true])
    func cancellingRunReachesARequestInAPlaceAnEarlierOneFreed(onLoop: Bool) async throws {
        let holding = HoldingHandlers(holding: "hold")
        let setup = try await RawSetup.make(handlers: holding.handlers)
        let serving = Task(executorPreference: onLoop ? setup.serverLoop : nil) { await setup.server.run() }
        var replies = setup.replies.makeAsyncIterator()
        for text in ["one", "two", "three"] {
            try await setup.send(try Self.echoRequest(text))
            let reply = try JSONEnvelopeCodec().decode(Echo.self, from: try #require(await replies.next()))
            #expect(reply.payload.text == text)
        }
        try await setup.send(try Self.echoRequest("hold"))
        for await _ in holding.entered { break }
        serving.cancel()
        await serving.value
        #expect(holding.cancelled.withLock { $0 } == true)
        // run() returned after the held request's handler, cancelled, had returned and been answered.
        #expect(setup.server.stats.handled == 4)
        await setup.close()
    }

    @Test func metricsAreKeptPerRequestTypeAndOutcomeOnBothSides() async throws {
        let loop = try MessageLoop(name: "intake-metrics")
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in
            guard request.payload.text != "fail" else { throw ProtocolError(.invalidValue, "asked to fail") }
            return Echo(text: request.payload.text)
        }
        let server = try await RequestServer.bind(loop: loop, endpoint: "tcp://127.0.0.1:*", name: "server", handlers: handlers)
        let serving = Task(executorPreference: loop) { await server.run() }
        let client = try await RequestClient.connect(loop: loop, peer: "server", endpoint: server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(60), attempts: 1))
        for text in ["a", "b", "fail", "c", "fail"] { _ = try? await client.request(Echo(text: text), trace: .root()) }
        _ = try? await client.request(PingRequest(), trace: .root())
        // echo ok, echo error, and the unregistered type as "unknown": three pairs on the server,
        // however many requests; the client's: echo ok, echo error, ping error.
        #expect(server.instruments.count == 3)
        #expect(client.instruments.count == 3)
        #expect(server.stats.handled == 6 && server.stats.errors == 3)
        await loop.shutdown()
        await serving.value
    }
}
