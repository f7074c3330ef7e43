/// How the processes of a topology schedule libzmq's I/O threads (`io_thread_policy`).
public enum IOThreadPolicy: String, Codable, Sendable, CaseIterable {
    /// Linux's `SCHED_BATCH`: an I/O thread woken by a message waits for a free CPU or for the
    /// thread running on its CPU to sleep or use up its turn, instead of preempting it. Where
    /// the agents keep the CPUs busy, their loops then run through their work instead of being
    /// cut short once per message; where other programs do, every message waits for their
    /// turns (`normal` suits a host shared with CPU-heavy work).
    case batch
    /// The system's normal policy, as for every other thread.
    case normal

    /// Reads one of the policies' names; any other text is refused, naming them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let policy = IOThreadPolicy(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "must be \(Self.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")), got '\(text)'")
        }
        self = policy
    }
}
