import Messaging
import ServiceLifecycle

/// What an agent adds to its node: the requests it answers, its long-running services, and the
/// notes its heartbeats carry.
public struct AgentWiring: Sendable {
    /// Request handlers; `ping` and `metrics` are added by the runtime.
    public var handlers = RequestHandlers()
    /// Long-running pieces (subscriptions, timers, writers), run in one `ServiceGroup` after the
    /// request server and heartbeats and shut down in reverse order of this array: put a
    /// service before those that feed it, so they stop first and it can finish their work.
    public var services: [any Service] = []
    /// Conditions to report in every heartbeat (shown by `hedgectl status`).
    public var notes: (@Sendable () async -> [String])?
    /// Whether the agent's request server yields its loop's CPU after each reply while requests
    /// come slowly and the machine is quiet (`ReplyYield`), so the reply leaves before the work
    /// its handler left for after it (`RequestServer.bind(yieldingAfterReplies:)`): the
    /// MarketMaker (a filled order's events), the RiskManager and the ExecutionAgent (their
    /// events and log lines).
    public var yieldsAfterReplies = false

    /// An empty wiring.
    public init() {}
}
