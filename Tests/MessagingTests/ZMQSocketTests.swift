import Foundation
import HedgeBusTesting
import Synchronization
import Testing
@testable import Messaging

/// The raw wrapper, driven on a thread of its own (a socket never leaves the thread that made it).
@Suite("ZeroMQ wrapper")
struct ZMQSocketTests {
    @Test func reqRepRoundTripsMultipart() async throws {
        let reply = try await onOwnThread { () throws -> [Data] in
            let context = try ZMQContext()
            defer { context.terminate() }
            let server = try context.socket(.rep)
            let client = try context.socket(.req)
            defer { server.close(); client.close() }
            try server.bind("tcp://127.0.0.1:*")
            try client.connect(try server.lastEndpoint())
            try client.send([Data("hello".utf8), Data("world".utf8)], wait: true)
            let request = try server.receive() ?? []
            try server.send(request.reversed(), wait: true)
            return try client.receive() ?? []
        }
        #expect(reply == [Data("world".utf8), Data("hello".utf8)])
    }

    @Test func routerSeesIdentityAndDelimiterFromDealer() async throws {
        let frames = try await onOwnThread { () throws -> [Data] in
            let context = try ZMQContext()
            defer { context.terminate() }
            let router = try context.socket(.router)
            let dealer = try context.socket(.dealer)
            defer { router.close(); dealer.close() }
            try router.bind("tcp://127.0.0.1:*")
            try dealer.connect(try router.lastEndpoint())
            try dealer.send([Data(), Data("body".utf8)], wait: true)
            return try router.receive() ?? []
        }
        #expect(frames.count == 3)
        #expect(frames[1].isEmpty)
        #expect(frames[2] == Data("body".utf8))
    }

    /// A message read into an array holds it alone; the array's memory serves the next message
    /// when nobody kept a copy, and a copy kept is left as it was; a read that finds nothing
    /// leaves the array and the user id as they were.
    @Test func readingIntoAnArrayReusesItsMemoryAndLeavesCopiesAlone() async throws {
        struct Reads: Sendable {
            var first: [Data] = [], second: [Data] = [], kept: [Data] = [], third: [Data] = []
            var sameMemory = false, otherMemory = false, emptyRead = true, untouched = false
        }
        let reads = try await onOwnThread { () throws -> Reads in
            let context = try ZMQContext()
            defer { context.terminate() }
            let receiver = try context.socket(.pair)
            let sender = try context.socket(.pair)
            defer { receiver.close(); sender.close() }
            try receiver.bind("inproc://reads")
            try sender.connect("inproc://reads")
            var reads = Reads()
            var frames: Frames = []
            var userId: String? = "before"
            let address = { (frames: Frames) in frames.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }
            try sender.send([Data("a".utf8), Data("b".utf8), Data("c".utf8)], wait: true)
            try sender.send([Data("one frame".utf8)], wait: true)
            try sender.send([Data("x".utf8), Data("y".utf8)], wait: true)
            _ = try receiver.receive(into: &frames, userId: &userId, wait: true, readingUserId: false)
            reads.first = frames.map { $0 }  // a copy of its own: the array stays unshared
            reads.untouched = userId == nil
            let before = address(frames)
            _ = try receiver.receive(into: &frames, userId: &userId, wait: true, readingUserId: false)
            reads.second = frames
            reads.sameMemory = address(frames) == before
            // A copy kept by a reader keeps its frames; the next read goes to memory of its own.
            let kept = frames
            _ = try receiver.receive(into: &frames, userId: &userId, wait: true, readingUserId: false)
            reads.third = frames
            reads.kept = kept
            reads.otherMemory = address(frames) != address(kept)
            userId = "after"
            let held = frames
            reads.emptyRead = try receiver.receive(into: &frames, userId: &userId, wait: false, readingUserId: false)
            reads.untouched = reads.untouched && userId == "after" && frames == held
            return reads
        }
        #expect(reads.first == [Data("a".utf8), Data("b".utf8), Data("c".utf8)])
        #expect(reads.second == [Data("one frame".utf8)] && reads.sameMemory)
        #expect(reads.third == [Data("x".utf8), Data("y".utf8)] && reads.kept == [Data("one frame".utf8)] && reads.otherMemory)
        #expect(!reads.emptyRead && reads.untouched)
    }

    @Test func pollTimesOutWhenNothingArrives() async throws {
        let (ready, waited) = try await onOwnThread { () throws -> ([Bool], Duration) in
            let context = try ZMQContext()
            defer { context.terminate() }
            let socket = try context.socket(.router)
            defer { socket.close() }
            try socket.bind("tcp://127.0.0.1:*")
            let start = ContinuousClock.now
            let ready = try poll([.readable(socket)], timeoutMillis: 50)
            return (ready, ContinuousClock.now - start)
        }
        #expect(ready == [false])
        #expect(waited >= .milliseconds(45))
    }

    @Test func bindingATakenPortIsAddressInUse() async throws {
        let code = try await onOwnThread { () throws -> ZMQError.Code? in
            let context = try ZMQContext()
            defer { context.terminate() }
            let first = try context.socket(.rep)
            let second = try context.socket(.rep)
            defer { first.close(); second.close() }
            try first.bind("tcp://127.0.0.1:*")
            do { try second.bind(try first.lastEndpoint()) } catch let error as ZMQError { return error.code }
            return nil
        }
        #expect(code == .addressInUse)
    }

    @Test(arguments: ["nonsense", "tcp://", "carrier-pigeon://coop:1"])
    func malformedEndpointsAreRejected(_ endpoint: String) async throws {
        let error = try await onOwnThread { () throws -> ZMQError? in
            let context = try ZMQContext()
            defer { context.terminate() }
            let socket = try context.socket(.sub)
            defer { socket.close() }
            do { try socket.connect(endpoint) } catch let error as ZMQError { return error }
            return nil
        }
        #expect(error != nil)
        #expect(error?.description.contains(endpoint) == true)
    }

    @Test func closedSocketReportsClosed() async throws {
        let code = try await onOwnThread { () throws -> ZMQError.Code? in
            let context = try ZMQContext()
            defer { context.terminate() }
            let socket = try context.socket(.pub)
            socket.close()
            do { try socket.send([Data("x".utf8)]) } catch let error as ZMQError { return error.code }
            return nil
        }
        #expect(code == .closed)
    }

    @Test func nonBlockingSendWithoutPeerWouldBlock() async throws {
        let code = try await onOwnThread { () throws -> ZMQError.Code? in
            let context = try ZMQContext()
            defer { context.terminate() }
            let dealer = try context.socket(.dealer)
            defer { dealer.close() }
            var options = SocketOptions()
            options.immediate = true
            options.lingerMillis = 0
            try options.apply(to: dealer)
            try dealer.connect("tcp://127.0.0.1:\(FreePort.next())")
            do { try dealer.send([Data("x".utf8)]) } catch let error as ZMQError { return error.code }
            return nil
        }
        #expect(code == .wouldBlock)
    }

    @Test func oversizedInboundMessagesAreRefused() async throws {
        let delivered = try await onOwnThread { () throws -> [Bool] in
            let context = try ZMQContext()
            defer { context.terminate() }
            let pull = try context.socket(.router)
            let push = try context.socket(.dealer)
            defer { pull.close(); push.close() }
            var options = SocketOptions()
            options.maxMessageSize = 256
            try options.apply(to: pull)
            try pull.bind("tcp://127.0.0.1:*")
            try push.connect(try pull.lastEndpoint())
            try push.send([Data(repeating: 1, count: 8)], wait: true)
            let small = try poll([.readable(pull)], timeoutMillis: 2_000)[0] && (try pull.receive(wait: false)) != nil
            // The big message makes libzmq drop the connection instead of delivering it.
            try push.send([Data(repeating: 2, count: 4_096)], wait: true)
            let big = try poll([.readable(pull)], timeoutMillis: 200)[0]
            return [small, big]
        }
        #expect(delivered == [true, false])
    }
}

@Suite("ZeroMQ shutdown")
struct ZMQShutdownTests {
    /// A message that can never be delivered must not keep the context from terminating. The
    /// termination runs on a thread of its own and races a timer for a once-only continuation,
    /// so a regression fails the test instead of hanging the run.
    @Test func contextTerminatesDespiteUndeliverableMessages() async throws {
        let terminated = await firstOf(seconds: 10) {
            let context = try ZMQContext()
            let dealer = try context.socket(.dealer)
            try dealer.connect("tcp://127.0.0.1:\(FreePort.next())")
            try dealer.send([Data("never delivered".utf8)])
            dealer.close()
            context.terminate()
        }
        #expect(terminated, "zmq_ctx_term did not return: a socket lingers for ever")
    }

    /// Runs `work` on its own thread; true if it finished within `seconds`. A stuck thread is
    /// left behind rather than waited for.
    func firstOf(seconds: Int, _ work: @escaping @Sendable () throws -> Void) async -> Bool {
        let resumed = Mutex(false)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let finish = { @Sendable (value: Bool) in
                if resumed.withLock({ done in defer { done = true }; return !done }) { continuation.resume(returning: value) }
            }
            Thread { finish((try? work()) != nil) }.start()
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                finish(false)
            }
        }
    }
}
