/// How an assessment waits for an account event that is due (see `PortfolioBook.awaitVersion`):
/// at most `limit`, timed by `schedule`, which runs its action once the delay has passed (an
/// agent's message loop: no task or thread per wait).
public struct AccountEventWait: Sendable {
    /// The longest wait before the account is read from the venue instead.
    public var limit: Duration
    /// Runs an action after a delay.
    public var schedule: @Sendable (Duration, @escaping @Sendable () -> Void) -> Void

    /// Waits of at most `limit`, timed by `schedule`.
    public init(limit: Duration, schedule: @escaping @Sendable (Duration, @escaping @Sendable () -> Void) -> Void) {
        self.limit = limit
        self.schedule = schedule
    }
}
