import Glibc

/// Time as the message loops keep it: nanoseconds in an `Int64`, on the clock `ContinuousClock`
/// reads (`CLOCK_BOOTTIME`).
///
/// `ContinuousClock.Instant` is resilient (its layout is known only at run time), so timers,
/// deadlines and rescans held as instants were copied, compared and stored through the runtime
/// on every iteration of a loop with a timer armed (docs/PERFORMANCE.md, change 173). The loops
/// keep plain nanoseconds instead, and an instant a caller gives (`MessageLoop.schedule(at:)`)
/// is turned into them once, at the edge.
enum LoopClock {
    /// Now, in nanoseconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        return Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }

    /// `instant` in the same nanoseconds as `now()`.
    static func nanoseconds(at instant: ContinuousClock.Instant) -> Int64 {
        reference.nanoseconds.addingClamped(nanoseconds(of: instant - reference.instant))
    }

    /// `duration` in nanoseconds, clamped to what an `Int64` holds.
    static func nanoseconds(of duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return whole.addingClamped(attoseconds / 1_000_000_000)
    }

    /// One reading of both clocks, which relates an instant to these nanoseconds (the two
    /// readings are a few tens of nanoseconds apart; the loops' timers count milliseconds).
    private static let reference = (instant: ContinuousClock.now, nanoseconds: now())
}

extension Int64 {
    /// `self + other`, held at the bounds instead of overflowing.
    func addingClamped(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
