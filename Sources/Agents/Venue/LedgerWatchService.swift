import Logging
import Ledger
import ServiceLifecycle

/// Fail-stop for the venue's journal. When the journal cannot be written, `run()` throws a
/// `VenueError` naming the problem, so the service group shuts down in order and the process
/// exits non-zero rather than answer with state it could not make durable (requests after the
/// failure already fail; a restart restores from the ledger). On graceful shutdown it commits
/// what is queued, closes the journal and logs every account's closing balances.
public struct LedgerWatchService: Service {
    let venueState: VenueState
    let logger: Logger

    public func run() async throws {
        let failure = await cancelWhenGracefulShutdown { [journal = venueState.journal] () async -> LedgerError? in
            guard let journal else {
                try? await gracefulShutdown()
                return nil
            }
            return await journal.failure()
        }
        if let failure {
            let what = "\(failure.message); stopping so that a restart restores a consistent state from the ledger. "
                + "Check the ledger's disk (space, permissions), then restart the MarketMaker (launch.sh up restarts it)"
            logger.critical("\(what)")
            throw VenueError(.ledgerFailed, what)
        }
        await venueState.close()
        // Every operation was committed as it happened; only the closing balances are logged.
        for row in venueState.positions() {
            logger.info("final \(row.account) \(row.symbol): base \(row.base), quote \(row.quote), realized \(row.realizedPnl)")
        }
    }
}
