import Glibc

/// Polling without sleeping, for a loop that has just run out of work (`MessageLoop.busyPoll`):
/// a message that comes soon is then taken without waking a sleeping thread, at the price of the
/// CPU the polling spends.
enum BusyPolling {
    /// Polls between two looks at whether a CPU is spare.
    static let pollsPerLook: UInt = 32

    /// How a window of polling ended.
    enum Outcome: Equatable {
        /// A poll found work.
        case found
        /// The window ran out with nothing found.
        case windowEnded
        /// `spare` said the CPUs are wanted (before the first poll, or later in the window).
        case cpusWanted
    }

    /// Calls `poll` (a wait with a zero timeout) until `found` says there is work, yielding the
    /// CPU to any other runnable thread between calls, for at most `window`, and only while
    /// `spare` says the machine has a CPU to spare (asked before the first poll and again every
    /// `pollsPerLook` polls). Unless work was found, the caller should sleep.
    static func poll(for window: Duration, spare: () -> Bool, _ poll: () throws(ZMQError) -> Void,
                     found: () -> Bool) throws(ZMQError) -> Outcome {
        let end = LoopClock.now().addingClamped(LoopClock.nanoseconds(of: window))
        var polls: UInt = 0
        repeat {
            if polls % pollsPerLook == 0 && !spare() { return .cpusWanted }
            polls &+= 1
            try poll()
            if found() { return .found }
            sched_yield()
        } while LoopClock.now() < end
        return .windowEnded
    }
}

/// When a loop's busy polling may spend a CPU, and when it may yield its CPU after a send that
/// asks for it (`ReplyYield`).
enum BusyPollGate: Equatable {
    /// As the machine's load allows (`SpareCPUs`: polling while it has a CPU to spare, yielding
    /// while it is quiet): the agents' loops.
    case spareCPUs
    /// Whatever else is runnable (tests that count polls or yields on a busy machine).
    case always
    /// Never: every window is cut before its first poll, and no reply yields (tests of both).
    case never
}

/// What a loop's last polling windows found, to stop polling where replies never come within
/// the window: a loop whose last `emptyWindowsToPause` windows all ran out empty (a server whose
/// one peer answers after a disk sync, say) sleeps at once instead, except for one window in
/// every `probeEvery`, which polls again to notice replies that have become quick.
struct BusyPollHistory {
    static let emptyWindowsToPause = 4
    static let probeEvery = 16
    private var emptyStreak = 0
    private var passedOver = 0

    /// Whether the next window should poll; false counts a window passed over.
    mutating func shouldPoll() -> Bool {
        guard emptyStreak >= Self.emptyWindowsToPause else { return true }
        passedOver += 1
        return passedOver % Self.probeEvery == 0
    }

    /// Notes how a window ended: a find clears the streak of empty ones; a window cut because
    /// the CPUs were wanted says nothing about how soon replies come.
    mutating func record(_ outcome: BusyPolling.Outcome) {
        switch outcome {
        case .found: emptyStreak = 0
        case .windowEnded: emptyStreak += 1
        case .cpusWanted: break
        }
    }
}
