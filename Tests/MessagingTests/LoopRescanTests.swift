import Foundation
import HedgeBusTesting
import Synchronization
import Testing
@testable import Messaging

/// The loop reads every socket at an interval whether or not its descriptor fired
/// (`RescanSchedule`), so a message whose announcement some libzmq call took is still read.
@Suite("Loop rescan", .timeLimit(.minutes(1)))
struct LoopRescanTests {
    @Test func aMessageWhoseAnnouncementWasTakenIsReadByTheRescan() async throws {
        let loop = try MessageLoop(name: "rescan")
        let (socket, messages) = try await loop.open(SocketSpec(kind: .router, binds: ["tcp://127.0.0.1:*"]))
        let endpoint = try #require(socket.boundEndpoints.first)
        let rounds = 3
        let go = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        let stopped = Mutex(false)
        // The sender stays connected until the end: its going away would fire the descriptor.
        let sender = Task {
            try await onOwnThread {
                let context = try ZMQContext()
                defer { context.terminate() }
                let dealer = try context.socket(.dealer)
                defer { dealer.close() }
                try dealer.connect(endpoint)
                try dealer.send([Data("warm-up".utf8)], wait: true)
                for round in 1...rounds {
                    // A bound for giving up, not a measure: with the rest of the suite on a slow
                    // host, the test's own task has taken more than 10 s to get back from the loop
                    // and signal the next round.
                    guard go.wait(timeout: .now() + 50) == .success, !stopped.withLock({ $0 }) else { return }
                    try dealer.send([Data("hello \(round)".utf8)], wait: true)
                }
                _ = finished.wait(timeout: .now() + 20)
            }
        }
        // The connection is up and the loop has read the socket until it would block: what comes
        // next is announced by one command.
        #expect(await Self.first(of: messages, within: .seconds(10))?.last == Data("warm-up".utf8))
        // A rescan counts what it finds only after a wait that brought nothing. One that comes
        // due while the loop is held here follows the wait that woke the loop for this work: it
        // reads the message all the same, uncounted. Then the round is tried again.
        var counted = 0
        for round in 1...rounds where counted == 0 {
            // A read stopped early leaves the socket marked; the loop reads marked sockets once
            // the commands before this one have run.
            await loop.useSocket(socket) { _ in }
            // With the loop thread held, the next message comes in and a poll takes the command
            // that announced it, and with it its descriptor's edge, as an unforeseen call would.
            let polled = Mutex(false)
            await loop.useSocket(socket) { raw in
                go.signal()
                guard let raw else { return }
                let readable = (try? poll([.readable(raw)], timeoutMillis: 10_000))?.first ?? false
                polled.withLock { $0 = readable }
            }
            #expect(polled.withLock { $0 })
            let message = await Self.first(of: messages, within: .seconds(5))
            #expect(message?.last == Data("hello \(round)".utf8), "round \(round)")
            guard message != nil else { break }
            // The rescan counts once its reads are done: let the loop finish it first.
            await loop.useSocket(socket) { _ in }
            counted = loop.stats.unannouncedMessages
        }
        stopped.withLock { $0 = true }
        go.signal()
        finished.signal()
        try await sender.value
        #expect(counted == 1)
        await loop.shutdown()
    }

    /// The first message of `messages`, or nil when `limit` passes first.
    private static func first(of messages: AsyncStream<Frames>, within limit: Duration) async -> Frames? {
        await withTaskGroup(of: Frames?.self) { group in
            group.addTask {
                var iterator = messages.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
