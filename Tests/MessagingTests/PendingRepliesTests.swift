import Foundation
import Synchronization
import Testing
import WireFormat
@testable import Messaging

/// `PendingReplies` asks its client to arm a deadline timer only when no armed timer comes
/// earlier, and a fired timer ends the waits that are due and names the next deadline to arm.
@Suite("Pending replies' deadlines", .timeLimit(.minutes(1)))
struct PendingRepliesTests {
    private static func timedOut(_ outcome: PendingReplies.Outcome) -> Bool {
        if case .timedOut = outcome { return true }
        return false
    }

    @Test func oneTimerCoversLaterDeadlinesAndEachFiringArmsTheNext() async throws {
        let pending = PendingReplies()
        let (placed, placing) = AsyncStream.makeStream(of: Bool.self)
        var armed = placed.makeAsyncIterator()
        let base = ContinuousClock.now.advanced(by: .seconds(3_600))
        let (early, middle, late) = (base, base.advanced(by: .seconds(1)), base.advanced(by: .seconds(2)))
        func waiter(_ id: String, until deadline: ContinuousClock.Instant) -> Task<PendingReplies.Outcome, Never> {
            pending.register(id)
            return Task {
                await pending.wait(for: id, deadline: deadline) { token, arm in
                    pending.markSent(id, token: token)
                    placing.yield(arm)
                }
            }
        }

        let first = waiter("first", until: middle)
        #expect(await armed.next() == true, "the first deadline needs a timer")
        let second = waiter("second", until: late)
        #expect(await armed.next() == false, "a later deadline is covered by the armed timer")
        let third = waiter("third", until: early)
        #expect(await armed.next() == true, "an earlier deadline needs a timer of its own")

        // The earliest timer fires: only its wait ends; the timer armed for `middle` covers the rest.
        #expect(pending.expire(timerDue: early, now: early) == nil)
        #expect(Self.timedOut(await third.value))
        // The next fires: its wait ends, and `late` now needs a timer.
        #expect(pending.expire(timerDue: middle, now: middle) == late)
        #expect(Self.timedOut(await first.value))
        // A timer run before its due time (the loop stopped) ends every wait and arms nothing.
        #expect(pending.expire(timerDue: late, now: .now) == nil)
        #expect(Self.timedOut(await second.value))
    }

    @Test func aDeadlineWaitsForItsRequestToGoOut() async throws {
        let pending = PendingReplies()
        let (placed, placing) = AsyncStream.makeStream(of: UInt64.self)
        var tokens = placed.makeAsyncIterator()
        let deadline = ContinuousClock.now.advanced(by: .seconds(3_600))
        pending.register("queued")
        let queued = Task { await pending.wait(for: "queued", deadline: deadline) { token, _ in placing.yield(token) } }
        let token = try #require(await tokens.next())
        // Its send is still queued on the loop when the deadline passes: the timer is armed again
        // (at the passed deadline), and the wait goes on.
        #expect(pending.expire(timerDue: deadline, now: deadline) == deadline)
        pending.markSent("queued", token: token)
        #expect(pending.expire(timerDue: deadline, now: deadline) == nil)
        #expect(Self.timedOut(await queued.value))
    }

    @Test func anAnsweredRequestLeavesNothingForItsTimer() async throws {
        let pending = PendingReplies()
        let (placed, placing) = AsyncStream.makeStream(of: Bool.self)
        var armed = placed.makeAsyncIterator()
        let deadline = ContinuousClock.now.advanced(by: .seconds(3_600))
        pending.register("answered")
        let answered = Task { await pending.wait(for: "answered", deadline: deadline) { _, arm in placing.yield(arm) } }
        #expect(await armed.next() == true)
        pending.forget("answered")
        if case .cancelled = await answered.value {} else { Issue.record("a forgotten wait must end as cancelled") }
        // Its timer fires with nothing left to end or to arm.
        #expect(pending.expire(timerDue: deadline, now: deadline) == nil)
        // The next request arms a timer again.
        pending.register("next")
        let next = Task { await pending.wait(for: "next", deadline: deadline.advanced(by: .seconds(1))) { _, arm in placing.yield(arm) } }
        #expect(await armed.next() == true)
        pending.forget("next")
        _ = await next.value
    }
}

/// How `PendingReplies` hands replies over: to a wait in place, to a wait that starts after the
/// reply came, and never to an id nobody waits for.
@Suite("Pending replies' delivery", .timeLimit(.minutes(1)))
struct PendingRepliesDeliveryTests {
    private static func reply(to id: String) -> InboundMessage {
        let header = Envelope.make(type: "order.submit.ok", source: "market-maker", trace: TraceContext.root(), payload: OpaquePayload())
        return InboundMessage(body: Data("{\"parent_id\":\"\(id)\"}".utf8), header: header)
    }

    private static func replyBody(_ outcome: PendingReplies.Outcome) -> Data? {
        if case .reply(let message) = outcome { return message.body }
        return nil
    }

    @Test func aReplyReachesItsWaitWhetherItCameBeforeOrDuring() async throws {
        let pending = PendingReplies()
        let deadline = ContinuousClock.now.advanced(by: .seconds(3_600))
        // Came before the wait started (between two attempts): the wait returns it at once,
        // without sending.
        pending.register("early")
        let early = Self.reply(to: "early")
        pending.deliver(early, to: "early")
        let sentEarly = Mutex(false)
        let first = await pending.wait(for: "early", deadline: deadline) { _, _ in sentEarly.withLock { $0 = true } }
        #expect(Self.replyBody(first) == early.body)
        #expect(!sentEarly.withLock { $0 })

        // Came while waiting: it resumes the wait; the id stays registered for a retry.
        let (placed, placing) = AsyncStream.makeStream(of: UInt64.self)
        var tokens = placed.makeAsyncIterator()
        pending.register("during")
        let waiting = Task { await pending.wait(for: "during", deadline: deadline) { token, _ in placing.yield(token) } }
        let token = try #require(await tokens.next())
        pending.markSent("during", token: token)
        let during = Self.reply(to: "during")
        pending.deliver(during, to: "during")
        #expect(Self.replyBody(await waiting.value) == during.body)
        // A second reply to it (a retry answered twice) is kept, not counted late.
        pending.deliver(during, to: "during")
        #expect(pending.lateReplies.withLock { $0 } == 0)

        // Nobody waits for this id (never registered, or forgotten): counted as late.
        pending.forget("during")
        pending.deliver(during, to: "during")
        pending.deliver(Self.reply(to: "stranger"), to: "stranger")
        #expect(pending.lateReplies.withLock { $0 } == 2)
    }
}
