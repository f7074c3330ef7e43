import Foundation
import Synchronization
import Testing
@testable import Messaging

/// `MessageLoop.post` from the loop's own thread: the message leaves before the posting work
/// goes on, unless a send queued earlier waits, behind which it keeps its place.
@Suite("Sends at once from the loop thread", .timeLimit(.minutes(1)))
struct DirectSendTests {
    /// What one test's receiving socket got (first frames, as text), and what its sender saw.
    private final class Inbox: Sendable {
        let received = Mutex<[String]>([])
        /// How many sends the loop had counted right after the post returned, less before it.
        let sentAtOnce = Mutex<Int?>(nil)
    }

    /// A PAIR socket on `loop` bound at an `inproc://` endpoint and one connected to it whose
    /// messages land in the returned inbox; `body` runs in a task on the loop thread with the
    /// sending socket, and this returns once `count` messages have arrived (or opening failed,
    /// recorded as an issue).
    private static func sending(on loop: MessageLoop, name: String, count: Int,
                                _ body: @escaping @Sendable (SocketHandle, Inbox) -> Void) async -> Inbox {
        let inbox = Inbox()
        await withCheckedContinuation { (arrived: CheckedContinuation<Void, Never>) in
            Task(executorPreference: loop) {
                let endpoint = "inproc://direct-send-\(name)"
                do {
                    let sender = try await loop.open(SocketSpec(kind: .pair, binds: [endpoint])).0
                    _ = try await loop.open(SocketSpec(kind: .pair, connects: [endpoint])) { frames in
                        let total = inbox.received.withLock { list in
                            list.append(String(decoding: frames.first ?? Data(), as: UTF8.self))
                            return list.count
                        }
                        if total == count { arrived.resume() }
                    }
                    body(sender, inbox)
                } catch {
                    Issue.record("opening the sockets failed: \(error)")
                    arrived.resume()
                }
            }
        }
        return inbox
    }

    @Test func aMessagePostedOnTheLoopThreadLeavesBeforeThePosterGoesOn() async throws {
        let loop = try MessageLoop(name: "direct-send")
        let inbox = await Self.sending(on: loop, name: "at-once", count: 1) { sender, inbox in
            #expect(loop.isLoopThread)
            let before = loop.stats.sent
            loop.post([Data("first".utf8)], on: sender)
            // Queued, the send would run only once this task has given the loop back.
            inbox.sentAtOnce.withLock { $0 = loop.stats.sent - before }
        }
        #expect(inbox.received.withLock { $0 } == ["first"])
        #expect(inbox.sentAtOnce.withLock { $0 } == 1)
        #expect(loop.stats.sentAtOnce == 1)
        await loop.shutdown()
    }

    @Test func aPostOnTheLoopThreadStaysBehindASendQueuedBeforeIt() async throws {
        let loop = try MessageLoop(name: "direct-send-order")
        let inbox = await Self.sending(on: loop, name: "order", count: 2) { sender, inbox in
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
        #expect(inbox.received.withLock { $0 } == ["queued", "posted-on-loop"])
        #expect(inbox.sentAtOnce.withLock { $0 } == 0, "sent ahead of the send queued before it")
        #expect(loop.stats.sentAtOnce == 0 && loop.stats.sent == 2)
        await loop.shutdown()
    }

    @Test func aPostOnTheLoopThreadGoesAtOncePastActionsAndJobsQueuedBeforeIt() async throws {
        let loop = try MessageLoop(name: "direct-send-past")
        let inbox = await Self.sending(on: loop, name: "past", count: 2) { sender, inbox in
            // What a handler leaves for after its reply, a deadline and a job: nothing a send must follow.
            loop.whenIdle { loop.post([Data("after".utf8)], on: sender) }
            loop.atIterationEnd {}
            loop.schedule(at: .now + .seconds(60)) {}
            Task(executorPreference: loop) {}
            #expect(loop.hasCommands)
            let before = loop.stats.sent
            loop.post([Data("reply".utf8)], on: sender)
            inbox.sentAtOnce.withLock { $0 = loop.stats.sent - before }
        }
        #expect(inbox.received.withLock { $0 } == ["reply", "after"])
        #expect(inbox.sentAtOnce.withLock { $0 } == 1)
        await loop.shutdown()
    }
}
