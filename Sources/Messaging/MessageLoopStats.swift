/// What went wrong on the sockets of one owner of a shared loop (`MessageLoop.problems(of:)`).
public struct LoopProblems: Sendable, Hashable {
    /// Inbound messages dropped because their consumer fell behind.
    public var inboundDrops = 0
    /// Inbound messages dropped because their frames were malformed.
    public var malformedDrops = 0
    /// What the monitors of the owner's monitored sockets reported.
    public var connections = ConnectionEvents()

    /// Nothing yet.
    public init() {}
}

/// Counters kept by a `MessageLoop`.
public struct MessageLoopStats: Sendable, Hashable {
    /// What went wrong on all the loop's sockets, as `LoopProblems`.
    public var problems: LoopProblems {
        var problems = LoopProblems()
        problems.inboundDrops = inboundDrops
        problems.malformedDrops = malformedDrops
        problems.connections = connections
        return problems
    }

    /// Multipart messages received from the network.
    public var received = 0
    /// Multipart messages libzmq accepted for sending.
    public var sent = 0
    /// Sends libzmq refused (no peer, queue full, closed socket).
    public var sendFailures = 0
    /// Of `sent`, those posted on the loop thread while no send waited in the queue, so sent
    /// before the posting work went on (`MessageLoop.post`); the others waited for the loop.
    public var sentAtOnce = 0
    /// Reads of a socket that found it empty: the last read of each time a socket is read until
    /// it would block (each costs libzmq a `getpid` and a `poll`).
    public var emptyReads = 0
    /// Messages the loop found only by its periodic rescan (`RescanSchedule`), counted when the
    /// rescan followed a wait that brought nothing: on a socket not marked ready, whose
    /// descriptor had not fired. Each one waited up to the rescan interval; any at all means a
    /// wake-up went missing. (A rescan in a busy loop reads the sockets too but counts nothing:
    /// there, messages come in between its looks.)
    public var unannouncedMessages = 0
    /// Inbound messages dropped because their consumer fell `inboundBuffer` messages behind.
    public var inboundDrops = 0
    /// Inbound messages dropped because their frames were malformed (e.g. a bus message that is
    /// not exactly a topic and a body).
    public var malformedDrops = 0
    /// CURVE handshakes this loop's ZAP handler refused (keys not listed for the server).
    public var refusedHandshakes = 0
    /// Waits that busy polling (`MessageLoop.busyPoll`) ended by finding work: each a wake-up
    /// the loop did not need.
    public var busyPollHits = 0
    /// Busy-polling windows that found nothing, after which the loop slept.
    public var busyPollMisses = 0
    /// Busy-polling windows cut short, or not begun, because the machine had no CPU to spare
    /// (more than two runnable threads per CPU): the loop slept at once.
    public var busyPollsCut = 0
    /// Waits the loop slept through without polling because its last busy-polling windows had all
    /// run out empty (`BusyPollHistory`).
    public var busyPollsPassedOver = 0
    /// Sends on sockets opened with `yieldsAfterSends` (a request server's replies) after which
    /// the loop yielded its CPU to the thread that carries them, as `ReplyYield` allowed.
    public var repliesYielded = 0
    /// What the monitors of its sockets opened with `monitorsConnections` reported: among them
    /// the connections libzmq closed for a message over `ZMQ_MAXMSGSIZE`.
    public var connections = ConnectionEvents()
}
