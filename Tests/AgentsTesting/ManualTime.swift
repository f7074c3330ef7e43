import Agents
import Synchronization

/// A clock that moves only when a test moves it.
public final class ManualTime: TimeSource {
    private let now: Mutex<Int64>

    /// A clock reading `micros` microseconds since the epoch.
    public init(micros: Int64 = 1_700_000_000_000_000) { now = Mutex(micros) }

    public func nowMicros() -> Int64 { now.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(seconds: Double) { now.withLock { $0 += Int64(seconds * 1_000_000) } }
}
