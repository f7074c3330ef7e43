/// How long a request may take and how often it is resent (same id, so receivers deduplicate).
public struct RequestPolicy: Sendable, Hashable {
    /// Time allowed for each attempt, including waiting for a connection.
    public var attemptTimeout: Duration
    /// Attempts in all (1 = no retry).
    public var attempts: Int

    /// Creates a policy.
    public init(attemptTimeout: Duration = .seconds(2), attempts: Int = 3) {
        self.attemptTimeout = attemptTimeout
        self.attempts = max(1, attempts)
    }
}
