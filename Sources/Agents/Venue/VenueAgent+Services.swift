import Configuration
import ServiceLifecycle

extension VenueAgent {
    /// The venue's long-running services, in start order; a service group shuts them down in
    /// reverse: quoting and the market stop first, then snapshots, then the follow-ups drain,
    /// and the ledger watch closes the journal last.
    public func services(market: MarketSection) async -> [any Service] {
        var services: [any Service] = [
            ledgerWatch,
            followUpService,
            InventorySnapshotService(venue: self, symbols: market.symbols.map(\.symbol), interval: .milliseconds(market.inventoryMs)),
            MarketTickService(venue: self, interval: .milliseconds(market.tickMs)),
        ]
        for (symbol, intervalMs) in venueState.quotedSymbols {
            services.append(QuotingService(venue: self, symbol: symbol, interval: .milliseconds(intervalMs)))
        }
        return services
    }

    /// Does the follow-up work of committed fills (inventory events, hedges).
    public var followUpService: VenueFollowUpService {
        VenueFollowUpService(followUps: followUps, events: events, hedger: hedger)
    }

    /// Fails when the journal does; on graceful shutdown closes it and logs closing balances.
    public var ledgerWatch: LedgerWatchService {
        LedgerWatchService(venueState: venueState, logger: logger)
    }
}
