import Synchronization
import Testing
import WireFormat
@testable import Messaging

/// A hop observer that does not want routine hops is told of the failed ones only, on both
/// sides, over a socket and handed over; as soon as it wants them again, it is told of every one.
@Suite("Hop observer", .timeLimit(.minutes(1)))
struct HopObserverTests {
    @Test(arguments: [false, true])
    func routineHopsAreReportedOnlyWhileWanted(handedOver: Bool) async throws {
        let loop = try MessageLoop(name: "hop-observer-\(handedOver)")
        let wanted = Atomic(false)
        let hops = Mutex<[RequestHop]>([])
        let observer = HopObserver(wantsRoutine: { wanted.load(ordering: .relaxed) }) { hop in hops.withLock { $0.append(hop) } }
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { request in
            guard request.payload.text != "fail" else { throw ProtocolError(.invalidValue, "asked to fail") }
            return request.payload
        }
        let inproc = "inproc://hop-observer.\(handedOver)"
        let server = try await RequestServer.bind(loop: loop, endpoint: "tcp://127.0.0.1:*", alsoBinding: [inproc], name: "server",
                                                  handlers: handlers, observer: observer)
        let serving = Task(executorPreference: loop) { await server.run() }
        let client = try await RequestClient.connect(loop: loop, peer: "server", endpoint: handedOver ? inproc : server.endpoint,
                                                     source: "client", policy: RequestPolicy(attemptTimeout: .seconds(5), attempts: 1),
                                                     observer: observer)
        try await withTaskExecutorPreference(loop) {
            _ = try await client.request(Echo(text: "routine"), trace: .root())
            await #expect(throws: ProtocolError.self) { try await client.request(Echo(text: "fail"), trace: .root()) }
            wanted.store(true, ordering: .relaxed)
            _ = try await client.request(Echo(text: "wanted"), trace: .root())
        }
        // Client and server share the loop thread: the server has reported each hop before the
        // loop sends its reply on, so every hop is in by the time the last request returns.
        let seen = hops.withLock { $0 }
        #expect(seen.filter { $0.outcome == "ok" }.map(\.role).sorted { $0.rawValue < $1.rawValue } == [.client, .server],
                "the routine hop made while wanted, on each side; none of the one before")
        #expect(seen.filter { $0.outcome == "error" }.count == 2, "the failed hop on each side, though routine hops were not wanted")
        #expect(seen.count == 4)
        client.close()
        await loop.shutdown()
        serving.cancel()
        _ = await serving.value
    }
}
