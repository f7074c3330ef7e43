import Foundation
import HedgeBusTesting
@testable import Messaging
import Synchronization
import Testing
import WireFormat
import WireProtocol

/// A server under more requests than it handles at once answers the extra ones `busy` at once,
/// instead of queueing them without bound or dropping them unanswered.
@Suite("Request server back-pressure", .timeLimit(.minutes(2)))
struct ServerBusyTests {
    /// Served off the loop (handlers on the global executor) and on it (each request started on
    /// the loop thread as it is read).
    @Test(arguments: [false, true])
    func requestsBeyondTheInFlightLimitAreAnsweredBusyAndServingResumes(onLoop: Bool) async throws {
        let loop = try MessageLoop(name: "busy-test")
        let (entered, enter) = AsyncStream.makeStream(of: Void.self)
        let (gate, open) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .unbounded)
        let held = Mutex(true)
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in
            if held.withLock({ $0 }) {
                enter.yield()
                for await _ in gate { break }
            }
            return Echo(text: request.payload.text.uppercased())
        }
        let server = try await RequestServer.bind(loop: loop, endpoint: "tcp://127.0.0.1:*", name: "server", handlers: handlers, maxInFlight: 2)
        let served = Task(executorPreference: onLoop ? loop : nil) { await server.run() }
        // A long attempt: what is checked is which answers come, and a full suite on a loaded
        // machine has taken over ten seconds for one round trip.
        let client = try await RequestClient.connect(loop: loop, peer: "server", endpoint: server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(60), attempts: 1))
        let first = Task { try await client.request(Echo(text: "a"), trace: .root()).payload.text }
        let second = Task { try await client.request(Echo(text: "b"), trace: .root()).payload.text }
        var inside = 0
        for await _ in entered {
            inside += 1
            if inside == 2 { break }
        }
        // Two are being handled: the third is refused at once, naming the limit.
        let error = await #expect(throws: ProtocolError.self) { try await client.request(Echo(text: "c"), trace: .root()) }
        #expect(error?.code == .busy && error?.message.contains("already handling 2 requests") == true)
        held.withLock { $0 = false }
        open.yield()
        open.yield()
        #expect(try await first.value == "A")
        #expect(try await second.value == "B")
        #expect(try await client.request(Echo(text: "d"), trace: .root()).payload.text == "D")
        await loop.shutdown()
        await served.value
    }
}
