import Trading
import WireFormat
import WireProtocol

/// The MarketMaker's instruments as its logic sees them: what it reports, not how it is counted.
/// The executable records them as Prometheus counters and gauges; tests can ignore or count them.
public protocol VenueMetricsRecording: Sendable {
    /// An order was executed, cancelled or replaced: rejections by reason, fills by side.
    func record(_ report: OrderReport)
    /// The inventory view (effective inventory, pending exposure, limit) of every account in one
    /// symbol, and which of them just went over the limit.
    func record(_ states: [InventoryState], newlyOverLimit: [InventoryState])
    /// The positions an `inventory.<symbol>` event carried.
    func record(_ snapshot: InventorySnapshot)
    /// A hedge leg's outcome.
    func record(_ hedge: HedgeEventPayload)
}

/// Records nothing: for tests and tools that do not export metrics.
public struct NoVenueMetrics: VenueMetricsRecording {
    /// Records nothing.
    public init() {}
    public func record(_ report: OrderReport) {}
    public func record(_ states: [InventoryState], newlyOverLimit: [InventoryState]) {}
    public func record(_ snapshot: InventorySnapshot) {}
    public func record(_ hedge: HedgeEventPayload) {}
}
