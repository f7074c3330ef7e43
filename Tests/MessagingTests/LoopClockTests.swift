import Synchronization
import Testing
@testable import Messaging

/// The loops keep time as nanoseconds (`LoopClock`): an instant a caller gives lands where the
/// same moment on the loops' own clock does, durations too long for an `Int64` are held at its
/// bound, and a timer's wait is rounded up to whole milliseconds so a poll never wakes early.
@Suite("Loop clock")
struct LoopClockTests {
    @Test func anInstantAndTheLoopsClockAgree() {
        let before = LoopClock.now()
        let inOneSecond = LoopClock.nanoseconds(at: ContinuousClock.now.advanced(by: .seconds(1)))
        let after = LoopClock.now()
        // The same moment one second on, read two ways: within the two readings' own spread.
        #expect(inOneSecond >= before + 999_000_000 && inOneSecond <= after + 1_001_000_000,
                "\(inOneSecond - before) ns after the first reading, \(inOneSecond - after) after the second")
    }

    @Test func durationsAreNanosecondsHeldAtTheBounds() {
        #expect(LoopClock.nanoseconds(of: .milliseconds(250)) == 250_000_000)
        #expect(LoopClock.nanoseconds(of: .seconds(-2)) == -2_000_000_000)
        #expect(LoopClock.nanoseconds(of: .seconds(Int64.max / 10)) == .max)
        #expect(LoopClock.nanoseconds(of: .seconds(Int64.min / 10)) == .min)
        #expect(Int64.max.addingClamped(1) == .max && Int64.min.addingClamped(-1) == .min && Int64(5).addingClamped(-7) == -2)
    }

    @Test func aTimersWaitIsRoundedUpToWholeMilliseconds() {
        var timers = LoopTimers()
        #expect(timers.pollTimeout(now: 0) == -1, "no timer: wait for anything")
        timers.add(10_500_000) {}
        #expect(timers.pollTimeout(now: 0) == 11)
        #expect(timers.pollTimeout(now: 500_000) == 10)
        #expect(timers.pollTimeout(now: 10_499_999) == 1)
        #expect(timers.pollTimeout(now: 10_500_000) == 0, "due: do not wait")
        #expect(timers.takeDue(now: 10_499_999).isEmpty && timers.takeDue(now: 10_500_000).count == 1 && timers.count == 0)
    }

    @Test func timersDueTogetherFireInTheOrderSet() {
        var timers = LoopTimers()
        let fired = Mutex<[String]>([])
        timers.add(2_000) { fired.withLock { $0.append("late") } }
        timers.add(1_000) { fired.withLock { $0.append("first") } }
        timers.add(1_000) { fired.withLock { $0.append("second") } }
        for action in timers.takeDue(now: .max) { action() }
        #expect(fired.withLock { $0 } == ["first", "second", "late"])
    }
}
