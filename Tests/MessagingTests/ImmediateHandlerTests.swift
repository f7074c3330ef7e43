import Foundation
import Testing
import WireFormat
@testable import Messaging

/// `RequestHandlers.on(_:immediately:)` and `on(_:atOnce:awaiting:)`: a server on its loop
/// answers a request whose handler awaits nothing as it reads it, with no task; a handler that
/// awaits still gets a task, and the immediate one answers errors and repeats as any other.
@Suite("Handlers answered as the request is read", .timeLimit(.minutes(1)))
struct ImmediateHandlerTests {
    /// A server on a loop of its own answering `echo` at once (with where its handler ran, or
    /// the error the text asks for) and `countdown` at once for an even count, in a task for an
    /// odd one (with 0 when its answer ran outside any task, 1 inside one), and a client on
    /// another loop.
    static func link(_ name: String) async throws -> EchoLink {
        var handlers = RequestHandlers()
        handlers.on(Echo.self, immediately: { request in
            switch request.payload.text {
            case "fail": throw ProtocolError(.invalidValue, "asked to fail")
            case "crash": throw CocoaError(.featureUnsupported)
            default: return Echo(text: withUnsafeCurrentTask { $0 == nil } ? "no task" : "in a task")
            }
        })
        @Sendable func whereItRan() -> Countdown { Countdown(count: withUnsafeCurrentTask { $0 == nil } ? 0 : 1) }
        handlers.on(Countdown.self, atOnce: { request in
            request.payload.count.isMultiple(of: 2) ? whereItRan() : nil
        }, awaiting: { _ in
            await Task.yield()
            return whereItRan()
        })
        return try await EchoLink.open(serverLoop: MessageLoop(name: "\(name)-server"), clientLoop: MessageLoop(name: "\(name)-client"),
                                       handlers: handlers)
    }

    @Test func aHandlerThatAwaitsNothingRunsWithoutATaskAndOneThatAwaitsInATask() async throws {
        let link = try await Self.link("immediate")
        // A request that came before serving began is held and answered from the serving task;
        // on a loaded machine the first one can, so wait until the server serves.
        while !link.server.takesHandOvers { await Task.yield() }
        let echo = try await link.client.request(Echo(text: "where"), trace: .root())
        #expect(echo.payload.text == "no task")
        let atOnce = try await link.client.request(Countdown(count: 4), trace: .root())
        #expect(atOnce.payload.count == 0, "answered at once, outside any task")
        let awaited = try await link.client.request(Countdown(count: 3), trace: .root())
        #expect(awaited.payload.count == 1, "answered by the awaiting handler, in a task")
        #expect(link.server.stats.handled == 3)
        await link.close()
    }

    @Test func anImmediateHandlersErrorsAreAnsweredAsErrors() async throws {
        let link = try await Self.link("immediate-errors")
        await #expect(throws: ProtocolError(.invalidValue, "asked to fail")) {
            _ = try await link.client.request(Echo(text: "fail"), trace: .root())
        }
        do {
            _ = try await link.client.request(Echo(text: "crash"), trace: .root())
            Issue.record("a handler's own error came back as a reply")
        } catch {
            #expect(error.code == .internalError)
        }
        #expect(link.server.stats.errors == 2)
        // The server still answers after both.
        #expect(try await link.client.request(Echo(text: "again"), trace: .root()).payload.text == "no task")
        await link.close()
    }

    @Test func aRepeatOfARequestAnsweredAtOnceGetsTheRecordedReply() async throws {
        let link = try await Self.link("immediate-repeat")
        // The same envelope (same id) sent twice, as a client's retry is.
        let envelope = Envelope.make(type: Echo.requestType, source: "client", trace: .root(), payload: Echo(text: "once"))
        let body = try JSONEnvelopeCodec().encode(envelope)
        let dealer = try ZMQContext()
        let socket = try dealer.socket(.dealer)
        var options = SocketOptions()
        options.receiveTimeoutMillis = 5_000
        try options.apply(to: socket)
        try socket.connect(link.server.endpoint)
        var replies: [Data] = []
        for _ in 0..<2 {
            try socket.send([Data(), body], wait: true)
            guard let frames = try socket.receive(wait: true) else { break }
            replies.append(frames[frames.count - 1])
        }
        socket.close()
        dealer.terminate()
        #expect(replies.count == 2)
        #expect(replies.first == replies.last, "the repeat was answered anew")
        #expect(link.server.stats.handled == 2)
        await link.close()
    }

    /// The current task, as a small number a request can carry (0 outside any task).
    static func taskMark() -> Int { withUnsafeCurrentTask { task in task.map { abs($0.hashValue % 1_000_000) + 1 } ?? 0 } }

    @Test func aRequestHandedOverToAHandlerThatAnswersAtOnceIsAnsweredInTheCallersTask() async throws {
        let loop = try MessageLoop(name: "immediate-hand-over")
        var handlers = RequestHandlers()
        // Each handler answers 0 when it runs in the task whose mark the request carries (a
        // countdown carries it doubled, plus one to be left to the awaiting part), else 1.
        handlers.on(Echo.self, immediately: { request in Echo(text: request.payload.text == "\(Self.taskMark())" ? "0" : "1") })
        handlers.on(Countdown.self, atOnce: { request in
            request.payload.count.isMultiple(of: 2) ? Countdown(count: request.payload.count / 2 == Self.taskMark() ? 0 : 1) : nil
        }, awaiting: { request in
            await Task.yield()
            return Countdown(count: request.payload.count / 2 == Self.taskMark() ? 0 : 1)
        })
        let inproc = "inproc://immediate-hand-over"
        let server = try await RequestServer.bind(loop: loop, endpoint: inproc, name: "server", handlers: handlers)
        let serving = Task(executorPreference: loop) { await server.run() }
        let client = try await RequestClient.connect(loop: loop, peer: "server", endpoint: inproc, source: "client")
        let (echo, atOnce, awaited, sent) = try await withTaskExecutorPreference(loop) {
            while !server.takesHandOvers { await Task.yield() }
            let before = loop.stats.sent
            let mark = Self.taskMark()
            let echo = try await client.request(Echo(text: "\(mark)"), trace: .root()).payload.text
            let atOnce = try await client.request(Countdown(count: 2 * mark), trace: .root()).payload.count
            let awaited = try await client.request(Countdown(count: 2 * mark + 1), trace: .root()).payload.count
            return (echo, atOnce, awaited, loop.stats.sent - before)
        }
        #expect(echo == "0", "the immediate handler ran in a task of its own")
        #expect(atOnce == 0, "the at-once part ran in a task of its own")
        #expect(awaited == 1, "the awaiting part ran in the caller's task")
        #expect(sent == 0, "requests went through the socket")
        client.close()
        await loop.shutdown()
        await serving.value
    }
}
