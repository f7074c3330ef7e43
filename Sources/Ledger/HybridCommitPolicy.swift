/// Where a `GroupCommitWriter` with both a thread and a scheduler commits: on the scheduler's
/// thread (a message loop, at the end of its iteration) while items come slower than
/// `threadAbove` a second, so a lone item's commit costs no hand-off between threads; on the
/// writer thread as soon as they come faster, so a stream of them leaves the loop to its other
/// work. Items are counted over short windows of `window`: a window that counts more than its
/// share of `threadAbove` moves the commits to the thread at once. They move back only once
/// `quietWindows` windows in a row have come slower than `schedulerBelow` a second, so a pause
/// in a stream (the loop stalled for a moment, say) does not bring its commits back to the loop
/// while it catches up.
public struct HybridCommitPolicy: Sendable, Hashable {
    /// Items a second above which commits move to the writer thread.
    public var threadAbove: Double
    /// Items a second below which they move back to the scheduler.
    public var schedulerBelow: Double
    /// How long items are counted before the rate is judged.
    public var window: Duration
    /// Windows in a row below `schedulerBelow` before the commits move back.
    public var quietWindows: Int

    /// A policy moving commits to the thread above `threadAbove` items a second and back once
    /// `quietWindows` windows of `window` in a row came below `schedulerBelow` (at most
    /// `threadAbove`).
    public init(threadAbove: Double, schedulerBelow: Double, window: Duration = .milliseconds(5), quietWindows: Int = 20) {
        self.threadAbove = threadAbove
        self.schedulerBelow = min(schedulerBelow, threadAbove)
        self.window = window
        self.quietWindows = max(1, quietWindows)
    }
}

/// How fast items have come to a writer, and so where its commits run (`HybridCommitPolicy`).
struct ItemLoad {
    /// Whether commits run where the scheduler runs them.
    private(set) var inline = true
    /// Commits moved to the thread and back, since the writer started.
    private(set) var moves = 0
    private var windowStart: ContinuousClock.Instant?
    private var count = 0
    /// Windows in a row that came slower than the policy's `schedulerBelow`.
    private var quiet = 0

    /// Counts `items` that came at `now`, judging the rate once a window has passed.
    mutating func note(_ items: Int, at now: ContinuousClock.Instant, _ policy: HybridCommitPolicy) {
        let start = windowStart ?? now
        if windowStart == nil { windowStart = now }
        let elapsed = now - start
        if elapsed >= policy.window {
            if !inline {
                // A gap of several windows with nothing counts as that many quiet windows.
                let windows = max(1, Int(Self.seconds(elapsed) / Self.seconds(policy.window)))
                let perSecond = Double(count) / Self.seconds(elapsed)
                quiet = perSecond < policy.schedulerBelow ? quiet + windows : 0
                if quiet >= policy.quietWindows { move(inline: true) }
            }
            windowStart = now
            count = 0
        }
        count += items
        if inline && Double(count) > policy.threadAbove * Self.seconds(policy.window) { move(inline: false) }
    }

    private mutating func move(inline: Bool) {
        self.inline = inline
        moves += 1
        quiet = 0
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
