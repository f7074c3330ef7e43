import Agents
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// Keeps in memory what the director records for its analytics.
public final class RecordingAnalytics: AnalyticsRecording {
    /// One batch of closed trades, as recorded.
    public struct Closed: Sendable {
        public var trades: [ClosedTrade]
        public var account: String
        public var openingSignalId: String
        public var reason: String
    }

    private let state = Mutex<(closed: [Closed], snapshots: Int, flushes: Int)>(([], 0, 0))

    /// Nothing recorded yet.
    public init() {}

    public func record(_ trades: [ClosedTrade], account: String, openingSignalId: String, reason: String) {
        state.withLock { $0.closed.append(Closed(trades: trades, account: account, openingSignalId: openingSignalId, reason: reason)) }
    }

    public func snapshot(account: String, rows: [PositionPayload], open: [OpenTrade], at now: Int64) async {
        state.withLock { $0.snapshots += 1 }
    }

    public func flush() async { state.withLock { $0.flushes += 1 } }

    /// Every batch of closed trades recorded so far, oldest first.
    public var closed: [Closed] { state.withLock { $0.closed } }
    /// How many snapshots were recorded.
    public var snapshots: Int { state.withLock { $0.snapshots } }
}
