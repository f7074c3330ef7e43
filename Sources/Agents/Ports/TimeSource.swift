import WireFormat
import WireProtocol

/// Reads the wall clock, in microseconds since the Unix epoch: what an agent's logic stamps
/// its decisions, positions and trades with. Tests set the time by hand.
public protocol TimeSource: Sendable {
    /// Microseconds since the Unix epoch.
    func nowMicros() -> Int64
}

/// The system's wall clock.
public struct SystemTime: TimeSource {
    /// The system's wall clock.
    public init() {}

    public func nowMicros() -> Int64 { WallClock.micros() }
}
