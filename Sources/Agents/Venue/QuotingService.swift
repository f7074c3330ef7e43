import ServiceLifecycle

/// The two-sided quoting loop of one symbol: refreshes its quote ladder every interval until the quoting
/// duration ends (its orders are then cancelled), then idles until graceful shutdown, when it
/// returns.
public struct QuotingService: Service {
    let venue: VenueAgent
    let symbol: String
    let interval: Duration

    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                guard await venue.refreshQuotes(symbol: symbol) else { break }
                try? await Task.sleep(for: interval)
            }
            // A finished service would end the whole group; this one has only nothing left to do.
            try? await gracefulShutdown()
        }
    }
}
