import Foundation
@testable import Messaging
import Synchronization
import Testing
import WireFormat

/// The reply cache answers retries while a client may still send them and forgets replies after.
@Suite struct ReplyCacheTests {
    /// A clock the test moves by hand.
    private final class Clock: Sendable {
        let now = Mutex<Int64>(0)
        func advance(ms: Int64) { now.withLock { $0 += ms * 1_000 } }
    }

    private func reply(_ id: String) -> EncodedReply {
        EncodedReply(body: Data("reply to \(id)".utf8), id: "r-\(id)", failure: nil)
    }

    private func isDone(_ lookup: ReplyCache.Lookup, body: String) -> Bool {
        if case .done(let bytes, _) = lookup { return bytes == Data(body.utf8) }
        return false
    }

    /// A reply of exactly `size` bytes, all of them `byte`.
    private func reply(size: Int, byte: UInt8) -> EncodedReply {
        EncodedReply(body: Data(repeating: byte, count: size), id: "r-\(byte)", failure: nil)
    }

    private func isDone(_ lookup: ReplyCache.Lookup, size: Int, byte: UInt8) -> Bool {
        if case .done(let bytes, _) = lookup { return bytes == Data(repeating: byte, count: size) }
        return false
    }

    private func isNew(_ lookup: ReplyCache.Lookup) -> Bool {
        if case .new = lookup { return true }
        return false
    }

    @Test func aRetryWithinTheRetentionGetsTheRecordedReplyAndOneStillRunningIsInFlight() {
        let clock = Clock()
        let cache = ReplyCache(retention: .seconds(6), nowUs: { clock.now.withLock { $0 } })
        guard case .new = cache.claim(RequestKey("a")) else { Issue.record("a first request must be new"); return }
        guard case .inFlight = cache.claim(RequestKey("a")) else { Issue.record("a repeat while running must be in flight"); return }
        cache.complete(RequestKey("a"), reply: reply("a"))
        clock.advance(ms: 5_999)
        #expect(isDone(cache.claim(RequestKey("a")), body: "reply to a"))
    }

    @Test func aReplyIsForgottenOnceItsRetentionHasPassed() {
        let clock = Clock()
        let cache = ReplyCache(retention: .seconds(6), nowUs: { clock.now.withLock { $0 } })
        _ = cache.claim(RequestKey("old"))
        cache.complete(RequestKey("old"), reply: reply("old"))
        clock.advance(ms: 3_000)
        _ = cache.claim(RequestKey("young"))
        cache.complete(RequestKey("young"), reply: reply("young"))
        clock.advance(ms: 3_000)
        // "old" is 6 s old now and goes; "young" is 3 s old and stays.
        guard case .new = cache.claim(RequestKey("old")) else { Issue.record("an expired reply must be forgotten"); return }
        #expect(isDone(cache.claim(RequestKey("young")), body: "reply to young"))
        #expect(cache.count == 1)
    }

    @Test func neverMoreThanCapacityRepliesOldestForgottenFirst() {
        let cache = ReplyCache(capacity: 100, retention: .seconds(3_600), nowUs: { 0 })
        for n in 0..<1_000 {
            _ = cache.claim(RequestKey("id-\(n)"))
            cache.complete(RequestKey("id-\(n)"), reply: reply("id-\(n)"))
            #expect(cache.count <= 100)
        }
        #expect(cache.count == 100)
        #expect(isDone(cache.claim(RequestKey("id-999")), body: "reply to id-999"))
        #expect(isDone(cache.claim(RequestKey("id-900")), body: "reply to id-900"))
        guard case .new = cache.claim(RequestKey("id-899")) else { Issue.record("the oldest replies must be forgotten first"); return }
    }

    @Test func aSteadyStreamKeepsOnlyTheRepliesOfTheRetentionWindow() {
        let clock = Clock()
        let cache = ReplyCache(capacity: 1_000_000, retention: .seconds(2), nowUs: { clock.now.withLock { $0 } })
        // 50,000 requests at one per millisecond: 50 s of traffic, of which 2 s is kept.
        for n in 0..<50_000 {
            _ = cache.claim(RequestKey("id-\(n)"))
            cache.complete(RequestKey("id-\(n)"), reply: reply("id-\(n)"))
            clock.advance(ms: 1)
        }
        #expect(cache.count == 2_000)
    }

    @Test func theByteBoundForgetsTheOldestRepliesFirstAndARetryWithinItGetsTheSameBytes() {
        let cache = ReplyCache(capacity: 1_000, maxBytes: 1_000, retention: .seconds(3_600), nowUs: { 0 })
        for n in 0..<30 {
            _ = cache.claim(RequestKey("id-\(n)"))
            cache.complete(RequestKey("id-\(n)"), reply: reply(size: 100, byte: UInt8(n)))
            #expect(cache.bytes <= 1_000)
        }
        // Ten replies of 100 bytes fit in 1,000: the last ten, byte for byte; the one before is gone.
        #expect(cache.count == 10)
        #expect(cache.bytes == 1_000)
        for n in 20..<30 { #expect(isDone(cache.claim(RequestKey("id-\(n)")), size: 100, byte: UInt8(n))) }
        #expect(isNew(cache.claim(RequestKey("id-19"))))
    }

    @Test func aReplyLargerThanTheByteBoundIsKeptUntilTheNextOne() {
        let cache = ReplyCache(maxBytes: 100, retention: .seconds(3_600), nowUs: { 0 })
        _ = cache.claim(RequestKey("big"))
        cache.complete(RequestKey("big"), reply: reply(size: 500, byte: 7))
        #expect(isDone(cache.claim(RequestKey("big")), size: 500, byte: 7))
        _ = cache.claim(RequestKey("next"))
        cache.complete(RequestKey("next"), reply: reply(size: 50, byte: 8))
        #expect(isNew(cache.claim(RequestKey("big"))))
        #expect(isDone(cache.claim(RequestKey("next")), size: 50, byte: 8))
        #expect(cache.bytes == 50)
    }

    @Test func theBoundsNeverForgetARequestStillRunning() {
        let cache = ReplyCache(capacity: 5, maxBytes: 200, retention: .seconds(3_600), nowUs: { 0 })
        _ = cache.claim(RequestKey("running"))
        for n in 0..<50 {
            _ = cache.claim(RequestKey("id-\(n)"))
            cache.complete(RequestKey("id-\(n)"), reply: reply(size: 100, byte: UInt8(n)))
        }
        guard case .inFlight = cache.claim(RequestKey("running")) else { Issue.record("a running request must stay claimed"); return }
    }

    @Test func aQuietCacheForgetsExpiredRepliesWhenSwept() {
        let clock = Clock()
        let cache = ReplyCache(retention: .seconds(4), nowUs: { clock.now.withLock { $0 } })
        for n in 0..<5_000 {
            _ = cache.claim(RequestKey("id-\(n)"))
            cache.complete(RequestKey("id-\(n)"), reply: reply(size: 300, byte: UInt8(n % 256)))
        }
        clock.advance(ms: 4_000)
        // No request comes to make room: only the sweep forgets them.
        #expect(cache.count == 5_000)
        cache.forgetExpired()
        #expect(cache.count == 0)
        #expect(cache.bytes == 0)
        #expect(isNew(cache.claim(RequestKey("id-4999"))))
    }

    @Test func aRetryGetsAnErrorReplyAsAnErrorAndAnAnsweredRequestKeepsItsFirstReply() {
        let cache = ReplyCache(retention: .seconds(3_600), nowUs: { 0 })
        _ = cache.claim(RequestKey("refused"))
        cache.complete(RequestKey("refused"), reply: EncodedReply(body: Data("no".utf8), id: "r-1", failure: ProtocolError(.busy, "busy")))
        cache.complete(RequestKey("refused"), reply: EncodedReply(body: Data("yes".utf8), id: "r-2", failure: nil))
        guard case let .done(body, failed) = cache.claim(RequestKey("refused")) else { Issue.record("the reply must be kept"); return }
        #expect(body == Data("no".utf8))
        #expect(failed)
        #expect(cache.count == 1)
    }

    @Test func aForgottenBurstGivesItsSlabsBack() {
        let clock = Clock()
        let cache = ReplyCache(retention: .seconds(4), nowUs: { clock.now.withLock { $0 } })
        // 2,000 replies of 600 bytes: 1.2 MB, five slabs of 256 KiB.
        for n in 0..<2_000 {
            _ = cache.claim(RequestKey("burst-\(n)"))
            cache.complete(RequestKey("burst-\(n)"), reply: reply(size: 600, byte: UInt8(n % 256)))
        }
        #expect(cache.slabs == 5)
        clock.advance(ms: 2_000)
        _ = cache.claim(RequestKey("late"))
        cache.complete(RequestKey("late"), reply: reply(size: 600, byte: 1))
        clock.advance(ms: 2_000)
        // The burst has expired; the late reply is in the burst's last slab, the only one left.
        cache.forgetExpired()
        #expect(cache.count == 1)
        #expect(cache.slabs == 1)
        #expect(isDone(cache.claim(RequestKey("late")), size: 600, byte: 1))
        clock.advance(ms: 2_000)
        cache.forgetExpired()
        #expect(cache.slabs == 0)
    }
}
