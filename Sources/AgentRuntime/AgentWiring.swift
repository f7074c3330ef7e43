import Messaging

/// What an agent adds to its node: the requests it answers, the tasks it runs for its lifetime,
/// and what to do on a graceful shutdown before sockets close.
public struct AgentWiring: Sendable {
    /// Request handlers; `ping` is added by the runtime.
    public var handlers = RequestHandlers()
    /// Long-running tasks (subscriptions, timers); cancelled on shutdown.
    public var tasks: [@Sendable () async -> Void] = []
    /// Runs once on shutdown, before the message loop closes (flush state here).
    public var onShutdown: (@Sendable () async -> Void)?
    /// Conditions to report in every heartbeat (shown by `hedgectl status`).
    public var notes: (@Sendable () async -> [String])?

    /// An empty wiring.
    public init() {}
}
