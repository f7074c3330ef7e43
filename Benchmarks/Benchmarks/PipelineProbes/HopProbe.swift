import Foundation
import Messaging
import WireFormat
import WireProtocol

/// An order-sized request answered by an echo handler: the cost of one HedgeBus req/rep hop
/// (client and server each on their own message loop, tcp loopback), to set beside a raw libzmq
/// REQ/REP round trip.
enum HopProbe {
    struct Echo: RequestPayload, Equatable {
        static var requestType: String { "echo" }
        typealias Reply = Echo
        var order: OrderSubmit
    }

    static func run(count: Int) async throws {
        let serverLoop = try MessageLoop(name: "probe-server")
        let clientLoop = try MessageLoop(name: "probe-client")
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in request.payload }
        let server = try await RequestServer.bind(loop: serverLoop, endpoint: "tcp://127.0.0.1:*", name: "echo-server", handlers: handlers)
        // As in the agents: the server's handlers run on its loop, the client's requests on its own.
        let serving = Task(executorPreference: serverLoop) { await server.run() }
        let client = try await RequestClient.connect(loop: clientLoop, peer: "echo-server", endpoint: server.endpoint, source: "probe")
        let echo = Echo(order: OrderSubmit(clientOrderId: "sig-9f1c2a7be03d4411", account: "desk", symbol: "BTC-USD",
                                           side: .buy, type: .market, qty: 0.23364996))
        let trace = TraceContext.root()
        var samples = try await withTaskExecutorPreference(clientLoop) {
            for _ in 0..<min(1_000, count) { _ = try await client.request(echo, trace: trace) }
            var samples: [Double] = []
            samples.reserveCapacity(count)
            for _ in 0..<count {
                let started = nanos()
                let reply = try await client.request(echo, trace: trace)
                samples.append(Double(nanos() - started) / 1_000)
                precondition(reply.payload == echo, "the echo changed the payload")
            }
            return samples
        }
        samples.sort()
        emit("hedgebus req/rep hop p50", percentile(samples, 0.5), "µs", baseline: "raw req/rep round trip p50",
             note: "RequestClient → RequestServer echo, order-sized")
        emit("hedgebus req/rep hop p99", percentile(samples, 0.99), "µs", baseline: "raw req/rep round trip p99")
        client.close()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
        serving.cancel()
    }
}
