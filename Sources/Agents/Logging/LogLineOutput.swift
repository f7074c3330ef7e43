import WireFormat

/// Where an agent's log lines go (`AgentLogHandler`): each line made in place by `make`, whole,
/// in the order lines are written; an `urgent` one (a warning or worse) is written at once with
/// every line before it.
package protocol LogLineOutput: Sendable {
    func write(urgent: Bool, _ make: (ByteBuffer) -> Void)
}
