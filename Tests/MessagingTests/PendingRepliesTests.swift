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
        let oneSecond: Int64 = 1_000_000_000
        let base = LoopClock.now() + 3_600 * oneSecond
        let (early, middle, late) = (base, base + oneSecond, base + 2 * oneSecond)
        func waiter(_ id: String, until deadline: Int64) -> Task<PendingReplies.Outcome, Never> {
            let ticket = pending.register(id)
            return Task {
                await pending.wait(for: ticket, deadline: deadline) { token, arm in
                    pending.markSent(ticket, token: token)
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
        #expect(pending.expire(timerDue: late, now: LoopClock.now()) == nil)
        #expect(Self.timedOut(await second.value))
    }

    @Test func aDeadlineWaitsForItsRequestToGoOut() async throws {
        let pending = PendingReplies()
        let (placed, placing) = AsyncStream.makeStream(of: UInt64.self)
        var tokens = placed.makeAsyncIterator()
        let deadline = LoopClock.now() + 3_600_000_000_000
        let ticket = pending.register("queued")
        let queued = Task { await pending.wait(for: ticket, deadline: deadline) { token, _ in placing.yield(token) } }
        let token = try #require(await tokens.next())
        // Its send is still queued on the loop when the deadline passes: the timer is armed again
        // (at the passed deadline), and the wait goes on.
        #expect(pending.expire(timerDue: deadline, now: deadline) == deadline)
        pending.markSent(ticket, token: token)
        #expect(pending.expire(timerDue: deadline, now: deadline) == nil)
        #expect(Self.timedOut(await queued.value))
    }

    @Test func anAnsweredRequestLeavesNothingForItsTimer() async throws {
        let pending = PendingReplies()
        let (placed, placing) = AsyncStream.makeStream(of: Bool.self)
        var armed = placed.makeAsyncIterator()
        let deadline = LoopClock.now() + 3_600_000_000_000
        let answeredTicket = pending.register("answered")
        let answered = Task { await pending.wait(for: answeredTicket, deadline: deadline) { _, arm in placing.yield(arm) } }
        #expect(await armed.next() == true)
        pending.forget(answeredTicket)
        if case .cancelled = await answered.value {} else { Issue.record("a forgotten wait must end as cancelled") }
        // Its timer fires with nothing left to end or to arm.
        #expect(pending.expire(timerDue: deadline, now: deadline) == nil)
        // The next request arms a timer again.
        let nextTicket = pending.register("next")
        let next = Task { await pending.wait(for: nextTicket, deadline: deadline + 1_000_000_000) { _, arm in placing.yield(arm) } }
        #expect(await armed.next() == true)
        pending.forget(nextTicket)
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
        if case .reply(.opened(let message)) = outcome { return message.body }
        return nil
    }

    @Test func aReplyReachesItsWaitWhetherItCameBeforeOrDuring() async throws {
        let pending = PendingReplies()
        let deadline = LoopClock.now() + 3_600_000_000_000
        // Came before the wait started (between two attempts): the wait returns it at once,
        // without sending.
        let earlyTicket = pending.register("early")
        let early = Self.reply(to: "early")
        pending.deliver(.opened(early), to: RequestKey("early"))
        let sentEarly = Mutex(false)
        let first = await pending.wait(for: earlyTicket, deadline: deadline) { _, _ in sentEarly.withLock { $0 = true } }
        #expect(Self.replyBody(first) == early.body)
        #expect(!sentEarly.withLock { $0 })

        // Came while waiting: it resumes the wait; the id stays registered for a retry.
        let (placed, placing) = AsyncStream.makeStream(of: UInt64.self)
        var tokens = placed.makeAsyncIterator()
        let duringTicket = pending.register("during")
        let waiting = Task { await pending.wait(for: duringTicket, deadline: deadline) { token, _ in placing.yield(token) } }
        let token = try #require(await tokens.next())
        pending.markSent(duringTicket, token: token)
        let during = Self.reply(to: "during")
        pending.deliver(.opened(during), to: RequestKey("during"))
        #expect(Self.replyBody(await waiting.value) == during.body)
        // A second reply to it (a retry answered twice) is kept, not counted late.
        pending.deliver(.opened(during), to: RequestKey("during"))
        #expect(pending.lateReplies.withLock { $0 } == 0)

        // Nobody waits for this id (never registered, or forgotten): counted as late.
        pending.forget(duringTicket)
        pending.deliver(.opened(during), to: RequestKey("during"))
        pending.deliver(.opened(Self.reply(to: "stranger")), to: RequestKey("stranger"))
        #expect(pending.lateReplies.withLock { $0 } == 2)
    }

    @Test func aFreedSlotServesTheNextRequestAloneAndAnswersNothingStale() async throws {
        let pending = PendingReplies()
        let deadline = LoopClock.now() + 3_600_000_000_000
        let (placed, placing) = AsyncStream.makeStream(of: UInt64.self)
        var tokens = placed.makeAsyncIterator()
        // The first request (a message id of 15 bytes, as requests carry) waits and is forgotten.
        let firstId = MessageID.make()
        let first = pending.register(firstId)
        let firstWait = Task { await pending.wait(for: first, deadline: deadline) { token, _ in placing.yield(token) } }
        let staleToken = try #require(await tokens.next())
        pending.forget(first)
        if case .cancelled = await firstWait.value {} else { Issue.record("a forgotten wait must end as cancelled") }

        // The next request takes the freed slot. The loop's late reports for the first request's
        // send (its token) change nothing, and a reply to the first id is late, not delivered.
        let secondId = MessageID.make()
        let second = pending.register(secondId)
        let secondWait = Task { await pending.wait(for: second, deadline: deadline) { token, _ in placing.yield(token) } }
        let token = try #require(await tokens.next())
        #expect(token != staleToken)
        pending.resolve(second, token: staleToken, with: .timedOut)
        pending.markSent(second, token: staleToken)
        pending.deliver(.opened(Self.reply(to: firstId)), to: RequestKey(firstId))
        #expect(pending.lateReplies.withLock { $0 } == 1)
        // Not marked sent by the stale report: its deadline passing ends nothing yet.
        #expect(pending.expire(timerDue: deadline, now: deadline) == deadline)
        let reply = Self.reply(to: secondId)
        pending.deliver(.opened(reply), to: RequestKey(secondId))
        #expect(Self.replyBody(await secondWait.value) == reply.body)
        pending.forget(second)
    }

    @Test func requestKeysAreEqualExactlyWhenTheirIdsAre() {
        // Ids of this build (15 bytes), of earlier builds (16) and others a peer may send.
        for id in [MessageID.make(), MessageID.make() + "a", "short", "a-request-id-longer-than-16"] {
            let bytes = Array(id.utf8)
            #expect(RequestKey(id) == RequestKey(String(decoding: bytes, as: UTF8.self)), "\(id)")
            #expect(RequestKey(id).hashValue == RequestKey(String(decoding: bytes, as: UTF8.self)).hashValue, "\(id)")
            // One byte changed, at either end or in the middle: another key.
            for place in [0, bytes.count / 2, bytes.count - 1] {
                var other = bytes
                other[place] = other[place] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
                #expect(RequestKey(id) != RequestKey(String(decoding: other, as: UTF8.self)), "\(id) at \(place)")
            }
            // A byte more or less: another key, whichever side of 16 bytes each falls on.
            #expect(RequestKey(id) != RequestKey(id + "0"), "\(id)")
            #expect(RequestKey(String(id.dropLast())) != RequestKey(id), "\(id)")
        }
        // Zero bytes count as bytes: an id is not its prefix padded with zeros.
        #expect(RequestKey("abc") != RequestKey("abc\0"))
        #expect(RequestKey("abc\0") != RequestKey("abc\0\0"))
        #expect(RequestKey("") != RequestKey("\0"))
        #expect(RequestKey("") != RequestKey(String(repeating: "\0", count: 16)))
        #expect(RequestKey("") == RequestKey(""))
    }

    /// A key made from an id's bytes where they lie in a reply is the key of the id itself.
    @Test func aKeyFromAnIdsBytesIsTheKeyOfTheId() {
        for id in [MessageID.make(), MessageID.make() + "a", "short", "", "a-request-id-longer-than-16", String(MessageID.make().dropLast())] {
            let fromBytes = Array(("{\"parent_id\":\"" + id + "\"").utf8).withUnsafeBytes { bytes in
                RequestKey(utf8: UnsafeRawBufferPointer(rebasing: bytes[14 ..< 14 + id.utf8.count]))
            }
            #expect(fromBytes == RequestKey(id) && fromBytes.hashValue == RequestKey(id).hashValue, "\(id)")
            #expect(fromBytes != RequestKey(id + "x"))
        }
    }
}
