/// Where a `GroupCommitWriter` with both a thread and a scheduler commits: on the scheduler's
/// thread (a message loop, at the end of its iteration) while items come slower than
/// `threadAbove` a second, so a lone item's commit costs no hand-off between threads; on the
/// writer thread once they come faster, so a stream of them leaves the loop to its other work;
/// back to the scheduler once they come slower than `schedulerBelow`. Items are counted over
/// windows of `window`; a window that has counted more than its share of `threadAbove` already
/// moves the commits to the thread before it ends.
public struct HybridCommitPolicy: Sendable, Hashable {
    /// Items a second above which commits move to the writer thread.
    public var threadAbove: Double
    /// Items a second below which they move back to the scheduler.
    public var schedulerBelow: Double
    /// How long items are counted before the rate is judged.
    public var window: Duration

    /// A policy moving commits to the thread above `threadAbove` items a second and back below
    /// `schedulerBelow` (at most `threadAbove`), judged every `window`.
    public init(threadAbove: Double, schedulerBelow: Double, window: Duration = .milliseconds(20)) {
        self.threadAbove = threadAbove
        self.schedulerBelow = min(schedulerBelow, threadAbove)
        self.window = window
    }
}

/// How fast items have come to a writer, and so where its commits run (`HybridCommitPolicy`).
struct ItemLoad {
    /// Whether commits run where the scheduler runs them.
    private(set) var inline = true
    /// Commits moved to the thread and back, since the writer started.
    private(set) var switches = 0
    private var windowStart: ContinuousClock.Instant?
    private var count = 0

    /// Counts `items` that came at `now`, judging the rate once a window has passed.
    mutating func note(_ items: Int, at now: ContinuousClock.Instant, _ policy: HybridCommitPolicy) {
        guard let start = windowStart else {
            windowStart = now
            count = items
            return
        }
        let elapsed = now - start
        if elapsed >= policy.window {
            let perSecond = Double(count) / Self.seconds(elapsed)
            if inline && perSecond > policy.threadAbove { move(inline: false) }
            if !inline && perSecond < policy.schedulerBelow { move(inline: true) }
            windowStart = now
            count = items
        } else {
            count += items
            if inline && Double(count) > policy.threadAbove * Self.seconds(policy.window) { move(inline: false) }
        }
    }

    private mutating func move(inline: Bool) {
        self.inline = inline
        switches += 1
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
