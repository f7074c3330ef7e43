import Foundation
@testable import Messaging
import Synchronization
import Testing

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
        if case .done(let reply) = lookup { return reply.body == Data(body.utf8) }
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
}
