import Foundation
import Synchronization
import Testing
import WireFormat
@testable import Messaging

/// A hop observer that does not want routine hops is told of the failed ones only, on both
/// sides, over a socket and handed over; as soon as it wants them again, it is told of every one.
/// A server's hop ends when its reply is ready, so it lies within the client's call.
@Suite("Hop observer", .timeLimit(.minutes(1)))
struct HopObserverTests {
    /// The server reports its hop after the reply has left; here it is held there until the
    /// client has the reply (the observer's question waits for the client's word), and its end
    /// must still come before the client's receipt, as a span tree draws the handler inside the
    /// call.
    @Test func aServersHopEndsBeforeItsClientHasTheReply() async throws {
        let serverLoop = try MessageLoop(name: "hop-end-server"), clientLoop = try MessageLoop(name: "hop-end-client")
        let clientHasReply = DispatchSemaphore(value: 0)
        let heardFromClient = Atomic(false)
        let serverHops = Mutex<[RequestHop]>([])
        let observer = HopObserver(wantsRoutine: {
            heardFromClient.store(clientHasReply.wait(timeout: .now() + 10) == .success, ordering: .relaxed)
            return true
        }) { hop in serverHops.withLock { $0.append(hop) } }
        let server = try await RequestServer.bind(loop: serverLoop, endpoint: "tcp://127.0.0.1:*", name: "server",
                                                  handlers: EchoLink.echoing, observer: observer)
        let serving = Task(executorPreference: serverLoop) { await server.run() }
        let client = try await RequestClient.connect(loop: clientLoop, peer: "server", endpoint: server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(10), attempts: 1))
        let received = try await withTaskExecutorPreference(clientLoop) { () async throws -> Int64 in
            let reply = try await client.request(Echo(text: "timed"), trace: .root())
            #expect(reply.payload.text == "timed")
            return WallClock.micros()
        }
        clientHasReply.signal()
        // The server's loop reports the hop once the observer has its answer; a closing
        // handshake on that loop comes after it.
        client.close()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
        await serving.value
        let hop = try #require(serverHops.withLock { $0.first }, "the server reported no hop")
        let heard = heardFromClient.load(ordering: .relaxed)
        #expect(heard, "the observer was asked before the client had its reply")
        #expect(hop.role == .server && hop.startUs <= hop.endUs)
        #expect(hop.endUs <= received, "the server's hop ended \(hop.endUs - received) µs after the client had the reply")
    }

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
