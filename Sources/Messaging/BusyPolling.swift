import Glibc

/// Polling without sleeping, for a loop that has just run out of work (`MessageLoop.busyPoll`):
/// a message that comes soon is then taken without waking a sleeping thread, at the price of the
/// CPU the polling spends.
enum BusyPolling {
    /// Calls `poll` (a wait with a zero timeout) until `found` says there is work, yielding the
    /// CPU to any other runnable thread between calls, for at most `window`. Returns whether work
    /// was found; false means the window ran out and the caller should sleep.
    static func poll(for window: Duration, _ poll: () throws(ZMQError) -> Void, found: () -> Bool) throws(ZMQError) -> Bool {
        let end = ContinuousClock.now.advanced(by: window)
        repeat {
            try poll()
            if found() { return true }
            sched_yield()
        } while ContinuousClock.now < end
        return false
    }
}
