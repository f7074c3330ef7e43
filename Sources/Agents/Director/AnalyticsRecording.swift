import Trading
import WireFormat
import WireProtocol

/// Where the TradingDirector keeps its analytics: every closed trade and a portfolio snapshot on
/// an interval. `AnalyticsRecorder` writes them to SQLite; tests record the calls.
public protocol AnalyticsRecording: Sendable {
    /// Records trades closed for `reason` (an `ExitReason` raw value, or
    /// `AnalyticsTrade.signalExitReason` when an opposite entry closed them) of the position that
    /// `openingSignalId` opened. Never waits (the storing comes later), so a cycle can hand it to
    /// its publisher's `afterPendingSends`.
    func record(_ trades: [ClosedTrade], account: String, openingSignalId: String, reason: String)
    /// Records one snapshot of `account` from the venue's rows and the watched positions.
    func snapshot(account: String, rows: [PositionPayload], open: [OpenTrade], at now: Int64) async
    /// Returns once everything recorded so far is stored.
    func flush() async
}
