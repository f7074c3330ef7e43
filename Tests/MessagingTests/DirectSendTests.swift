import Foundation
import Synchronization
import Testing
@testable import Messaging

/// `MessageLoop.post` from the loop's own thread: the message leaves before the posting work
/// goes on, unless a command queued earlier waits, behind which it keeps its place.
@Suite("Sends at once from the loop thread", .timeLimit(.minutes(1)))
struct DirectSendTests {
    /// What one test's receiving socket got (first frames, as text), and what its sender saw.
    private final class Inbox: Sendable {
        let received = Mutex<[String]>([])
        /// How many sends the loop had counted right after the post returned, less before it.
        let sentAtOnce = Mutex<Int?>(nil)
    }

    /// A PAIR socket on `loop` bound at an `inproc://` endpoint, and one connected to it whose
    /// messages land in `inbox`, resuming `arrived` at the `count`th.
    private static func pair(on loop: MessageLoop, name: String, inbox: Inbox, count: Int,
                             arrived: CheckedContinuation<Void, Never>) async throws -> SocketHandle {
        let endpoint = "inproc://direct-send-\(name)"
        let sender = try await loop.open(SocketSpec(kind: .pair, binds: [endpoint])).0
        _ = try await loop.open(SocketSpec(kind: .pair, connects: [endpoint])) { frames in
            let total = inbox.received.withLock { list in
                list.append(String(decoding: frames.first ?? Data(), as: UTF8.self))
                return list.count
            }
            if total == count { arrived.resume() }
        }
        return sender
    }

    @Test func aMessagePostedOnTheLoopThreadLeavesBeforeThePosterGoesOn() async throws {
        let loop = try MessageLoop(name: "direct-send")
        let inbox = Inbox()
        await withCheckedContinuation { (arrived: CheckedContinuation<Void, Never>) in
            Task(executorPreference: loop) {
                let sender = try await Self.pair(on: loop, name: "at-once", inbox: inbox, count: 1, arrived: arrived)
                #expect(loop.isLoopThread)
                let before = loop.stats.sent
                loop.post([Data("first".utf8)], on: sender)
                // Queued, the send would run only once this task has given the loop back.
                inbox.sentAtOnce.withLock { $0 = loop.stats.sent - before }
            }
        }
        #expect(inbox.received.withLock { $0 } == ["first"])
        #expect(inbox.sentAtOnce.withLock { $0 } == 1)
        #expect(loop.stats.sentAtOnce == 1)
        await loop.shutdown()
    }

    @Test func aPostOnTheLoopThreadStaysBehindASendQueuedBeforeIt() async throws {
        let loop = try MessageLoop(name: "direct-send-order")
        let inbox = Inbox()
        await withCheckedContinuation { (arrived: CheckedContinuation<Void, Never>) in
            Task(executorPreference: loop) {
                let sender = try await Self.pair(on: loop, name: "order", inbox: inbox, count: 2, arrived: arrived)
                // Another thread posts while this task holds the loop thread: its send is queued.
                let queued = DispatchSemaphore(value: 0)
                Thread {
                    loop.post([Data("queued".utf8)], on: sender)
                    queued.signal()
                }.start()
                queued.wait()
                #expect(loop.hasCommands)
                let before = loop.stats.sent
                loop.post([Data("posted-on-loop".utf8)], on: sender)
                inbox.sentAtOnce.withLock { $0 = loop.stats.sent - before }
            }
        }
        #expect(inbox.received.withLock { $0 } == ["queued", "posted-on-loop"])
        #expect(inbox.sentAtOnce.withLock { $0 } == 0, "sent ahead of the send queued before it")
        #expect(loop.stats.sentAtOnce == 0 && loop.stats.sent == 2)
        await loop.shutdown()
    }

    @Test func aPostOnTheLoopThreadGoesAtOncePastActionsAndJobsQueuedBeforeIt() async throws {
        let loop = try MessageLoop(name: "direct-send-past")
        let inbox = Inbox()
        await withCheckedContinuation { (arrived: CheckedContinuation<Void, Never>) in
            Task(executorPreference: loop) {
                let sender = try await Self.pair(on: loop, name: "past", inbox: inbox, count: 2, arrived: arrived)
                // What a handler leaves for after its reply, and a deadline: nothing a send must follow.
                loop.whenIdle { loop.post([Data("after".utf8)], on: sender) }
                loop.atIterationEnd {}
                loop.schedule(at: .now + .seconds(60)) {}
                Task(executorPreference: loop) {}
                #expect(loop.hasCommands)
                let before = loop.stats.sent
                loop.post([Data("reply".utf8)], on: sender)
                inbox.sentAtOnce.withLock { $0 = loop.stats.sent - before }
            }
        }
        #expect(inbox.received.withLock { $0 } == ["reply", "after"])
        #expect(inbox.sentAtOnce.withLock { $0 } == 1)
        await loop.shutdown()
    }
}
