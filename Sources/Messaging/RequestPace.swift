/// How often requests reach a loop's yielding servers, for `ReplyYield`: a moving average of
/// the time between them (each new gap weighs an eighth).
///
/// A yield after a reply gains where the loop has little else to do: requests far apart, each
/// cycle's messages crossing CPUs that are otherwise idle. Under load requests come close
/// together, and a yield hands the CPU to other work for a whole turn while the loop's next
/// requests wait; there, also, the CPUs are seldom idle. The pace tells the two apart without
/// a system call: one read of the clock (in user space) per batch of requests the loop reads.
struct RequestPace {
    /// Requests closer together than this on average (2,000 a second and more) are load.
    static let loadGapNanos: Int64 = 500_000

    /// The average gap between requests; far apart until requests come.
    private(set) var averageGapNanos: Int64 = .max / 2
    private var lastNanos: Int64?

    /// Whether requests come far enough apart for a reply to yield.
    var isSlow: Bool { averageGapNanos >= Self.loadGapNanos }

    /// Notes `count` requests read at `now` (nanoseconds, `LoopClock`): the time since the last
    /// read is spread over them.
    mutating func read(_ count: Int, at now: Int64) {
        guard count > 0 else { return }
        defer { lastNanos = now }
        guard let lastNanos else { return }
        let gap = max(0, now - lastNanos) / Int64(count)
        // Gaps are clamped to a second, so a long quiet spell does not outweigh the requests after it.
        let sample = min(gap, 1_000_000_000)
        var average = min(averageGapNanos, 1_000_000_000)
        for _ in 0..<count { average += (sample - average) / 8 }
        averageGapNanos = average
    }
}
