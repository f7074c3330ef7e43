import ServiceLifecycle

/// Publishes every symbol's `inventory.<symbol>` each interval: periodic full snapshots let late
/// subscribers (recorders, a restarted RiskManager) know the inventory without waiting for the
/// next fill. Returns on graceful shutdown.
public struct InventorySnapshotService: Service {
    let venue: VenueAgent
    let symbols: [String]
    let interval: Duration

    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await venue.publishInventory(symbols: symbols)
                try? await Task.sleep(for: interval)
            }
        }
    }
}
