/// How a group of a process's threads is scheduled on Linux: libzmq's I/O threads
/// (`io_thread_policy`) or the process's own threads (`thread_policy`).
public enum ThreadPolicy: String, Codable, Sendable {
    /// `batch` while the desk has the CPUs to itself, `normal` while other programs take much of
    /// them (at least 40 % of the CPUs' time, measured each second; back to `batch` after three
    /// seconds under 20 %): the default.
    case auto
    /// Linux's `SCHED_BATCH`: a thread woken (by a message, a reply, a commit) waits for a free
    /// CPU or for the thread running on its CPU to sleep or use up its turn, instead of
    /// preempting it. Where the agents keep the CPUs busy, each then runs through its work
    /// instead of being cut short by the next wake-up; where other programs do, every wake-up
    /// waits for their turns (`normal` suits a host shared with CPU-heavy work).
    case batch
    /// The system's normal policy.
    case normal

    /// Reads one of the policies' names; any other text is refused, naming them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let policy = ThreadPolicy(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "must be 'auto', 'batch' or 'normal', got '\(text)'")
        }
        self = policy
    }
}
