import Testing
import WireFormat
@testable import Messaging

/// An echo server serving on one loop at a free loopback port, and a client on another loop
/// (one attempt of 10 s), as two agents in processes of their own are.
struct EchoLink {
    let serverLoop: MessageLoop
    let clientLoop: MessageLoop
    let server: RequestServer
    let client: RequestClient
    let serving: Task<Void, Never>

    /// The echo server's handlers: each `echo` answered with its own text.
    static var echoing: RequestHandlers {
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in Echo(text: request.payload.text) }
        return handlers
    }

    /// Binds the server on `serverLoop` with `handlers` (the echo by default), starts serving on
    /// it, and connects the client on `clientLoop`.
    static func open(serverLoop: MessageLoop, clientLoop: MessageLoop, handlers: RequestHandlers = echoing) async throws -> EchoLink {
        let server = try await RequestServer.bind(loop: serverLoop, endpoint: "tcp://127.0.0.1:*", name: "server", handlers: handlers)
        let serving = Task(executorPreference: serverLoop) { await server.run() }
        let client = try await RequestClient.connect(loop: clientLoop, peer: "server", endpoint: server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(10), attempts: 1))
        return EchoLink(serverLoop: serverLoop, clientLoop: clientLoop, server: server, client: client, serving: serving)
    }

    /// Sends `count` echoes one after another and returns how many came back unchanged. Run it
    /// on the client's loop (`withTaskExecutorPreference`), where the agents make their requests.
    func echoes(_ count: Int) async throws -> Int {
        var replies = 0
        for index in 0..<count where try await client.request(Echo(text: "n\(index)"), trace: .root()).payload.text == "n\(index)" {
            replies += 1
        }
        return replies
    }

    /// Closes the client, stops both loops and waits for the server to end.
    func close() async {
        client.close()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
        await serving.value
    }
}
