import ServiceLifecycle

/// Ticks every market feed each interval (on a fixed schedule, not drifting with the work),
/// publishing the ticks and the resting-order fills they caused. Returns on graceful shutdown.
public struct MarketTickService: Service {
    let venue: VenueAgent
    let interval: Duration

    public func run() async {
        await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            var next = clock.now
            while !Task.isCancelled {
                // A failed journal stops the market; the ledger watch shuts the process down.
                guard await venue.tickMarket() else { break }
                next = next.advanced(by: interval)
                try? await Task.sleep(until: next, clock: clock)
            }
            try? await gracefulShutdown()
        }
    }
}
