/// The loop's periodic rescan (see `RescanSchedule`).
extension LoopThread {
    /// Once `nextRescan` has come: first takes the descriptors that fired since the last wait,
    /// then reads every socket not already marked ready. A socket whose descriptor fired after
    /// that first look (its messages are announced, the loop just has not collected the event
    /// yet) is marked ready instead. With `counting` (the loop's last wait brought nothing, so
    /// little is coming in), what the reads found is counted in
    /// `MessageLoopStats.unannouncedMessages`: messages whose descriptor never fired.
    mutating func rescan(now: Int64, counting: Bool) {
        nextRescan = now &+ RescanSchedule.intervalNanoseconds
        guard let poller else { return }
        // A wake signal drained here is not lost: the loop looks at its command queue itself.
        _ = try? poller.wait(timeoutMillis: 0, marking: &ready)
        var found = 0
        for (id, entry) in sockets where !ready.contains(id) {
            if entry.socket.announcementPending() {
                ready.mark(id)
                continue
            }
            let before = loop.counters.withLock { $0.received }
            if !drain(id, yieldingToWork: false) { ready.mark(id) }
            found += loop.counters.withLock { $0.received } - before
        }
        if counting && found > 0 { loop.counters.withLock { $0.unannouncedMessages += found } }
    }
}
