import AgentRuntime
import Logging

/// The loggers the agent probes hand their agents: silent, or with `--logs` the agents' own
/// handler at `info` writing to standard error as in a running agent (send it to /dev/null), so
/// the difference of the two counts is what an agent's log lines cost per message.
enum ProbeLogging {
    /// Whether `--logs` was given.
    static let agentsHandler = CommandLine.arguments.contains("--logs")

    /// The handler is installed once, before the first logger that needs it.
    private static let bootstrapped: Bool = {
        if agentsHandler { AgentLogging.bootstrap(level: .info) }
        return agentsHandler
    }()

    /// A logger labelled `label`, as the agent of that name has one.
    static func logger(_ label: String) -> Logger {
        bootstrapped ? Logger(label: label) : Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }
}
