import Testing
@testable import Messaging

/// `RequestPace` counts requests slow until they come closer together than
/// `RequestPace.loadGapNanos` on average, and slow again once they spread out; an agent loop's
/// reply yields follow it (`ReplyYield.yields`).
@Suite("The pace of a loop's requests")
struct RequestPaceTests {
    /// The pace after `count` reads of one request each, `gap` nanoseconds apart, from `start`.
    static func reading(_ pace: inout RequestPace, count: Int, gap: Int64, from start: Int64) -> Int64 {
        var now = start
        for _ in 0..<count {
            pace.read(1, at: now)
            now += gap
        }
        return now
    }

    @Test func requestsAreSlowUntilTheyComeCloseTogetherAndSlowAgainOnceTheySpreadOut() {
        var pace = RequestPace()
        #expect(pace.isSlow, "no request yet")
        // A millisecond apart: a lone cycle's pace.
        var now = Self.reading(&pace, count: 50, gap: 1_000_000, from: 1_000_000_000)
        #expect(pace.isSlow)
        // 100 µs apart (10,000 a second): load, once the average has come down.
        now = Self.reading(&pace, count: 60, gap: 100_000, from: now)
        #expect(!pace.isSlow)
        #expect(pace.averageGapNanos < 200_000)
        // A millisecond apart again.
        _ = Self.reading(&pace, count: 60, gap: 1_000_000, from: now)
        #expect(pace.isSlow)
    }

    @Test func requestsReadTogetherShareTheTimeSinceTheLastRead() {
        var pace = RequestPace()
        var now: Int64 = 1_000_000_000
        pace.read(1, at: now)
        // Ten requests in every read, a millisecond after the last: 100 µs apart each.
        for _ in 0..<20 {
            now += 1_000_000
            pace.read(10, at: now)
        }
        #expect(!pace.isSlow)
        #expect(abs(pace.averageGapNanos - 100_000) < 10_000, "\(pace.averageGapNanos)")
    }

    @Test func aLongQuietSpellCountsAsOneSecond() {
        var pace = RequestPace()
        var now = Self.reading(&pace, count: 80, gap: 100_000, from: 1_000_000_000)
        #expect(!pace.isSlow)
        // An hour without requests weighs as a second: the next burst turns the pace to load as
        // quickly as after a second's pause.
        now += 3_600 * 1_000_000_000
        pace.read(1, at: now)
        #expect(pace.isSlow)
        #expect(pace.averageGapNanos <= 1_000_000_000)
        _ = Self.reading(&pace, count: 60, gap: 100_000, from: now + 100_000)
        #expect(!pace.isSlow)
    }

    @Test func anAgentsReplyYieldsOnlyWhileTheRequestsComeSlowlyOnAQuietMachine() {
        var pace = RequestPace()
        var now: Int64 = 1_000_000_000
        pace.read(1, at: now)
        #expect(ReplyYield.yields(gate: .spareCPUs, pace: pace, quiet: { true }), "no pace yet: slow")
        #expect(!ReplyYield.yields(gate: .spareCPUs, pace: pace, quiet: { false }), "a busy machine")
        now = Self.reading(&pace, count: 60, gap: 100_000, from: now + 100_000)
        #expect(!ReplyYield.yields(gate: .spareCPUs, pace: pace, quiet: { true }), "requests 100 µs apart are load")
        #expect(ReplyYield.yields(gate: .always, pace: pace, quiet: { false }), "the tests' gate yields whatever else")
        #expect(!ReplyYield.yields(gate: .never, pace: RequestPace(), quiet: { true }))
        _ = Self.reading(&pace, count: 60, gap: 1_000_000, from: now)
        #expect(ReplyYield.yields(gate: .spareCPUs, pace: pace, quiet: { true }), "a millisecond apart again")
    }
}
