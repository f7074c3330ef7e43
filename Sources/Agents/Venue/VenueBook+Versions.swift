import Ledger
import Trading
import WireFormat
import WireProtocol

extension VenueBook {
    /// A random 16-hex-digit id for this run (a string, so no JSON reader rounds it).
    static func makeEpoch() -> String {
        let value = UInt64.random(in: 1 ... .max)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Counts one new version of every account `batch` changed (positions, balances,
    /// reservations, funding) and marks it for its next `account.<name>` event.
    mutating func countVersions(of batch: LedgerBatch) {
        // A batch names few accounts, on many rows (every asset balance of the account an order
        // changed): compared as they come, hashed once each. An order's batch names one
        // account, kept apart so no array is made for it.
        var first: String?, others: [String] = []
        func note(_ account: String) {
            guard let known = first else { first = account; return }
            if known != account, !others.contains(account) { others.append(account) }
        }
        for row in batch.balances { note(row.position.account) }
        for row in batch.assetBalances { note(row.account) }
        for payment in batch.funding { note(payment.account) }
        func count(_ account: String) {
            accountVersions[account, default: 0] += 1
            changedAccounts.insert(account)
        }
        if let first { count(first) }
        for account in others { count(account) }
    }

    /// `report` with the epoch and its account's version now, right after its commit was queued.
    func versioned(_ report: OrderReport) -> OrderReport {
        var report = report
        report.venueEpoch = epoch
        report.accountVersion = accountVersions[report.account] ?? 0
        return report
    }

    /// The `account.<name>` snapshots to publish — those of the accounts changed since their
    /// last event and, with `remarked` (a tick round), of those whose figures a moved mark
    /// changed since then — with the commit that makes them durable. Each is the account's rows
    /// in every symbol, its balances and margin books, at its version in this epoch. Taking an
    /// account's snapshot settles both reasons for it: it shows the marks of now.
    mutating func durableAccountSnapshots(remarked: Bool) -> ([InventorySnapshot], JournalCommit) {
        var due = changedAccounts
        if remarked { due.formUnion(remarkedAccounts) }
        let names = venue.accountNames.filter(due.contains)
        changedAccounts.removeAll()
        remarkedAccounts.subtract(names)
        let snapshots = names.map { name in
            InventorySnapshot(positions: positions(account: name), accounts: accounts(account: name), venueEpoch: epoch)
        }
        return (snapshots, barrier())
    }
}
