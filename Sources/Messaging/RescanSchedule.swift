/// When a poll loop reads all its sockets whether or not their descriptors fired: the safety net
/// under `SocketPoller`'s edge-triggered waiting.
///
/// A socket's `ZMQ_FD` fires once when libzmq's command mailbox for it goes from empty to not
/// empty, and any call into the socket may take those commands (see `SocketPoller`). The loops
/// mark a socket ready after each call that can, but should an announcement be taken where no
/// rule foresaw it, that socket would stay unread until its next send, or for good when nothing
/// is ever sent on it. Reading every socket this often bounds such a stall, at the price of one
/// empty read per socket per interval.
struct RescanSchedule {
    /// How often every socket is read, in milliseconds; also the longest a loop's wait may last.
    static let intervalMillis = 100
    static let interval = Duration.milliseconds(intervalMillis)

    private var next: ContinuousClock.Instant

    init(now: ContinuousClock.Instant = .now) {
        next = now.advanced(by: Self.interval)
    }

    /// Whether a rescan is due at `now`; when it is, the next one is one interval away.
    mutating func isDue(now: ContinuousClock.Instant) -> Bool {
        guard now >= next else { return false }
        next = now.advanced(by: Self.interval)
        return true
    }
}
