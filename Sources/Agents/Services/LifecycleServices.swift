import ServiceLifecycle

/// A long-running loop as a service: `body` runs until graceful shutdown cancels it.
public struct LoopService: Service {
    private let body: @Sendable () async -> Void

    /// A service that runs `body` until shutdown; `body` must end when its task is cancelled.
    public init(_ body: @escaping @Sendable () async -> Void) { self.body = body }

    public func run() async {
        await cancelWhenGracefulShutdown { await body() }
    }
}

/// A step of the ordered teardown: waits for graceful shutdown, then runs `action` (drain a
/// queue, flush a writer). The group stops services last-first, so a step placed in
/// `AgentWiring.services` before the services that feed it runs once they have stopped.
public struct ShutdownStep: Service {
    private let action: @Sendable () async throws -> Void

    /// A step that runs `action` on graceful shutdown.
    public init(_ action: @escaping @Sendable () async throws -> Void) { self.action = action }

    public func run() async throws {
        try? await gracefulShutdown()
        try await action()
    }
}
