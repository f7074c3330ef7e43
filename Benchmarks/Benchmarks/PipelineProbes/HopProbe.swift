import Foundation
import Messaging
import WireFormat
import WireProtocol

/// An order answered without work: the cost of one HedgeBus req/rep hop (client and server each
/// on their own message loop, and so each with its own ZeroMQ context and I/O thread, as two
/// agents are; tcp loopback), to set beside a raw libzmq REQ/REP round trip between two contexts.
///
/// The request is an `order.submit` and the reply an open `order.submit.ok` made once, so both
/// take the codec path the agents' own order hop takes (their hand-written JSON forms); a payload
/// type of the probe's own could only take the slower `Codable` path, which no hop of a cycle does.
///
/// The echo handler awaits nothing, so the server answers it as it reads it (as the
/// QuantAnalyst's `analyze`); the same hop is then measured with a handler that awaits (it is
/// declared `async`, as the MarketMaker's `order.submit`, though it never suspends), which the
/// server starts in a task of its own.
enum HopProbe {
    static let order = OrderSubmit(clientOrderId: "sig-9f1c2a7be03d441", account: "desk", symbol: "BTC-USD",
                                   side: .buy, type: .market, qty: 0.23364996)
    static let report = OrderReport(orderId: "O-1042", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                                    side: order.side, type: order.type, status: .open, qty: order.qty, filledQty: 0,
                                    avgPrice: nil, fills: [], reason: nil, reasonCode: nil)

    /// The server's one handler: checks the order and answers with the prepared report; with
    /// `inTask`, through an `async` function, so that the server starts it in a task.
    static func handlers(inTask: Bool = false) -> RequestHandlers {
        var handlers = RequestHandlers()
        if inTask {
            handlers.on(OrderSubmit.self) { request in await answerAwaiting(request) }
        } else {
            handlers.on(OrderSubmit.self, immediately: { answer($0) })
        }
        return handlers
    }

    static func answer(_ request: Envelope<OrderSubmit>) -> OrderReport {
        precondition(request.payload == order, "the request arrived changed")
        return report
    }

    static func answerAwaiting(_ request: Envelope<OrderSubmit>) async -> OrderReport { answer(request) }

    /// A thousand round trips of the order through `client` at most to warm up, then `count`
    /// timed ones, in µs, unsorted; each reply checked.
    static func roundTrips(_ client: RequestClient, count: Int) async throws -> [Double] {
        let trace = TraceContext.root()
        for _ in 0..<min(1_000, count) { _ = try await client.request(order, trace: trace) }
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let started = nanos()
            let reply = try await client.request(order, trace: trace)
            samples.append(Double(nanos() - started) / 1_000)
            precondition(reply.payload == report, "the reply arrived changed")
        }
        return samples
    }

    /// `busyPoll` is both loops' `MessageLoop.busyPoll`: the agents' default unless the bench
    /// runs with `--busy-poll-us` (only the client's loop, which awaits replies, polls). The p50
    /// row's note says how the client loop's polling windows ended.
    /// Both measurements, or with `only` the one with that `inTask`.
    static func run(count: Int, busyPoll: Duration = .zero, only: Bool? = nil) async throws {
        for inTask in [false, true] where only == nil || only == inTask {
            try await run(count: count, busyPoll: busyPoll, inTask: inTask)
        }
    }

    /// One of the two measurements: the immediate handler's rows, or with `inTask` the rows of
    /// the handler the server starts in a task.
    static func run(count: Int, busyPoll: Duration, inTask: Bool) async throws {
        let serverLoop = try MessageLoop(name: "probe-server", busyPoll: busyPoll)
        let clientLoop = try MessageLoop(name: "probe-client", busyPoll: busyPoll)
        let server = try await RequestServer.bind(loop: serverLoop, endpoint: "tcp://127.0.0.1:*", name: "echo-server",
                                                  handlers: handlers(inTask: inTask))
        // As in the agents: the server's handlers run on its loop, the client's requests on its own.
        let serving = Task(executorPreference: serverLoop) { await server.run() }
        let client = try await RequestClient.connect(loop: clientLoop, peer: "echo-server", endpoint: server.endpoint, source: "probe")
        var samples = try await withTaskExecutorPreference(clientLoop) { try await roundTrips(client, count: count) }
        samples.sort()
        let polls = clientLoop.stats
        let polling = busyPoll > .zero
            ? "; the client loop's busy-poll windows: \(polls.busyPollHits) found the reply, \(polls.busyPollMisses) ran out, "
                + "\(polls.busyPollsCut) cut for want of a CPU, \(polls.busyPollsPassedOver) passed over"
            : ""
        let name = inTask ? "hedgebus req/rep hop, handler in a task" : "hedgebus req/rep hop"
        let handler = inTask ? "by a handler that awaits, in a task of its own" : "as the server reads it"
        emit("\(name) p50", percentile(samples, 0.5), "µs", baseline: "raw req/rep round trip, two contexts p50",
             note: "RequestClient → RequestServer, order.submit answered with a prepared order.submit.ok \(handler)" + polling)
        emit("\(name) p99", percentile(samples, 0.99), "µs", baseline: "raw req/rep round trip, two contexts p99")
        client.close()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
        serving.cancel()
    }
}

/// The same order and reply between a client and a server on one loop, the client asking at the
/// server's `inproc://` endpoint from the loop thread: the request handed over as a value, as
/// between the agents of `all-agents`. Set beside the socket hop above.
enum HandOverProbe {
    static func run(count: Int) async throws {
        let loop = try MessageLoop(name: "probe-agents")
        let server = try await RequestServer.bind(loop: loop, endpoint: "inproc://probe.echo-server", name: "echo-server",
                                                  handlers: HopProbe.handlers())
        let serving = Task(executorPreference: loop) { await server.run() }
        let client = try await RequestClient.connect(loop: loop, peer: "echo-server", endpoint: server.endpoint, source: "probe")
        let before = loop.stats
        var samples = try await withTaskExecutorPreference(loop) { try await HopProbe.roundTrips(client, count: count) }
        // Handed over, nothing crossed a socket; otherwise the probe measured the wrong path.
        precondition(loop.stats.sent == before.sent, "requests went through the socket")
        samples.sort()
        emit("hedgebus in-process hop p50", percentile(samples, 0.5), "µs", baseline: "hedgebus req/rep hop p50",
             note: "RequestClient → RequestServer on one loop (all-agents), the request handed over as a value")
        emit("hedgebus in-process hop p99", percentile(samples, 0.99), "µs", baseline: "hedgebus req/rep hop p99")
        client.close()
        await loop.shutdown()
        await serving.value
    }
}
