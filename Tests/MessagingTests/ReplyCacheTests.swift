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

    /// Claims `id` as a new request in `cache` and records `reply` as its answer.
    private func answer(_ id: String, with reply: EncodedReply, in cache: ReplyCache) {
        _ = cache.claim(RequestKey(id))
        cache.complete(RequestKey(id), reply: reply)
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
        answer("old", with: reply("old"), in: cache)
        clock.advance(ms: 3_000)
        answer("young", with: reply("young"), in: cache)
        clock.advance(ms: 3_000)
        // "old" is 6 s old now and goes; "young" is 3 s old and stays.
        guard case .new = cache.claim(RequestKey("old")) else { Issue.record("an expired reply must be forgotten"); return }
        #expect(isDone(cache.claim(RequestKey("young")), body: "reply to young"))
        #expect(cache.count == 1)
    }

    @Test func neverMoreThanCapacityRepliesOldestForgottenFirst() {
        let cache = ReplyCache(capacity: 100, retention: .seconds(3_600), nowUs: { 0 })
        for n in 0..<1_000 {
            answer("id-\(n)", with: reply("id-\(n)"), in: cache)
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
            answer("id-\(n)", with: reply("id-\(n)"), in: cache)
            clock.advance(ms: 1)
        }
        #expect(cache.count == 2_000)
    }

    @Test func theByteBoundForgetsTheOldestRepliesFirstAndARetryWithinItGetsTheSameBytes() {
        let cache = ReplyCache(capacity: 1_000, maxBytes: 1_000, retention: .seconds(3_600), nowUs: { 0 })
        for n in 0..<30 {
            answer("id-\(n)", with: reply(size: 100, byte: UInt8(n)), in: cache)
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
        answer("big", with: reply(size: 500, byte: 7), in: cache)
        #expect(isDone(cache.claim(RequestKey("big")), size: 500, byte: 7))
        answer("next", with: reply(size: 50, byte: 8), in: cache)
        #expect(isNew(cache.claim(RequestKey("big"))))
        #expect(isDone(cache.claim(RequestKey("next")), size: 50, byte: 8))
        #expect(cache.bytes == 50)
    }

    @Test func theBoundsNeverForgetARequestStillRunning() {
        let cache = ReplyCache(capacity: 5, maxBytes: 200, retention: .seconds(3_600), nowUs: { 0 })
        _ = cache.claim(RequestKey("running"))
        for n in 0..<50 {
            answer("id-\(n)", with: reply(size: 100, byte: UInt8(n)), in: cache)
        }
        guard case .inFlight = cache.claim(RequestKey("running")) else { Issue.record("a running request must stay claimed"); return }
    }

    @Test func aQuietCacheForgetsExpiredRepliesWhenSwept() {
        let clock = Clock()
        let cache = ReplyCache(retention: .seconds(4), nowUs: { clock.now.withLock { $0 } })
        for n in 0..<5_000 {
            answer("id-\(n)", with: reply(size: 300, byte: UInt8(n % 256)), in: cache)
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
        answer("refused", with: EncodedReply(body: Data("no".utf8), id: "r-1", failure: ProtocolError(.busy, "busy")), in: cache)
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
            answer("burst-\(n)", with: reply(size: 600, byte: UInt8(n % 256)), in: cache)
        }
        #expect(cache.slabs == 5)
        clock.advance(ms: 2_000)
        answer("late", with: reply(size: 600, byte: 1), in: cache)
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
