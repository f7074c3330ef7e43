/// The loop's periodic rescan (see `RescanSchedule`).
extension LoopThread {
    /// Once `nextRescan` has come: first takes the descriptors that fired since the last wait,
    /// then reads every socket not already marked ready, counting what those reads found in
    /// `MessageLoopStats.unannouncedMessages` (messages whose descriptor never fired).
    mutating func rescan(now: ContinuousClock.Instant) {
        nextRescan = now.advanced(by: RescanSchedule.interval)
        guard let poller else { return }
        // A wake signal drained here is not lost: the loop looks at its command queue itself.
        _ = try? poller.wait(timeoutMillis: 0, marking: &ready)
        let before = loop.counters.withLock { $0.received }
        for id in sockets.keys where !ready.contains(id) {
            if !drain(id, yieldingToWork: false) { ready.mark(id) }
        }
        let found = loop.counters.withLock { $0.received } - before
        if found > 0 { loop.counters.withLock { $0.unannouncedMessages += found } }
    }
}
