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
    /// The same in nanoseconds, as the message loops keep time (`LoopClock`).
    static let intervalNanoseconds = Int64(intervalMillis) * 1_000_000

    private var next: Int64

    /// A schedule whose first rescan is one interval after `now` (`LoopClock` nanoseconds).
    init(now: Int64 = LoopClock.now()) {
        next = now &+ Self.intervalNanoseconds
    }

    /// Whether a rescan is due at `now`; when it is, the next one is one interval away.
    mutating func isDue(now: Int64) -> Bool {
        guard now >= next else { return false }
        next = now &+ Self.intervalNanoseconds
        return true
    }
}
