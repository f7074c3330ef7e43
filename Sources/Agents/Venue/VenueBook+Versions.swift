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
    /// reservations, funding), marks it for its next `account.<name>` event, and notes the
    /// batch's orders of those accounts for that event to name.
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
        // The orders it holds are named by the first event at or past the version just counted.
        for order in batch.orders where order.request.account == first || others.contains(order.request.account) {
            orderNames.note(order.request.clientOrderId, account: order.request.account,
                            version: accountVersions[order.request.account] ?? 0)
        }
    }

    /// The client order ids an `account.<name>` event of `account` at `version` names: those
    /// of the orders counted at that version or before and not named yet (`AccountOrderNames`).
    mutating func takeOrderNames(account: String, through version: UInt64) -> [String]? {
        orderNames.take(account: account, through: version)
    }

    /// `report` with the epoch and its account's version now, right after its commit was queued.
    func versioned(_ report: OrderReport) -> OrderReport {
        var report = report
        report.venueEpoch = epoch
        report.accountVersion = accountVersions[report.account] ?? 0
        return report
    }

    /// How many early snapshots of one account may wait for the follow-up that publishes them;
    /// past that, the account's next change waits for its event as if there were none.
    static let earlySnapshotsPerAccount = 8

    /// Where an order, a cancel or a replace of `account` begins: the mark its ledger batch is
    /// made from. When the account has changed since its last `account.<name>` event was
    /// taken, its snapshot is taken first, at the version the latest report carried and with
    /// the commit that makes that version durable. Otherwise the event taken once this
    /// operation has changed the account would wait for this operation's commit too, and so
    /// would a RiskManager asked to assess after the earlier version (docs/PERFORMANCE.md,
    /// change 121). With one order at a time the follow-up has taken the event already and
    /// nothing is done here. Other accounts (a counterparty's resting orders that fill, those a
    /// tick round changes) have their events taken as before: one per account when taken.
    mutating func beginChange(for account: String) -> LedgerMark {
        if !changedAccounts.isEmpty, changedAccounts.contains(account),
           earlyAccountSnapshots.count(where: { $0.account == account }) < Self.earlySnapshotsPerAccount {
            changedAccounts.remove(account)
            remarkedAccounts.remove(account)
            earlyAccountSnapshots.append((account, accountSnapshot(account), barrier()))
        }
        return LedgerMark(&venue)
    }

    /// The `account.<name>` snapshots to publish, in order, each group with the commit that
    /// makes it durable: those taken early (see `beginChange`), then those of the accounts
    /// changed since their last event and, with `remarked` (a tick round), of those whose
    /// figures a moved mark changed since then. Each is the account's rows in every symbol, its
    /// balances and margin books, at its version in this epoch. Taking an account's snapshot
    /// settles both reasons for it: it shows the marks of now. An early snapshot is left out
    /// when a later one of its account is durable already (one commit made both durable): a
    /// reader waiting for the earlier version takes the later one.
    mutating func durableAccountSnapshots(remarked: Bool) -> [DueAccountSnapshots] {
        var due = changedAccounts
        if remarked { due.formUnion(remarkedAccounts) }
        let names = due.isEmpty ? [] : venue.accountNames.filter(due.contains)
        changedAccounts.removeAll()
        remarkedAccounts.subtract(names)
        let current = names.isEmpty ? nil : (snapshots: names.map { accountSnapshot($0) }, commit: barrier())
        var taken = Self.notSuperseded(earlyAccountSnapshots, durableLater: current?.commit.isDone == true ? names : [])
        earlyAccountSnapshots.removeAll(keepingCapacity: true)
        if let current { taken.append(current) }
        return taken
    }

    /// `early`, oldest first, less each snapshot that a later durable one of its account makes
    /// redundant: a later early one whose commit is done, or one of `durableLater`'s accounts.
    private static func notSuperseded(_ early: [(account: String, snapshot: InventorySnapshot, commit: JournalCommit)],
                                      durableLater: [String]) -> [DueAccountSnapshots] {
        guard !early.isEmpty else { return [] }
        var covered = durableLater
        var kept: [DueAccountSnapshots] = []
        for entry in early.reversed() where !covered.contains(entry.account) {
            if entry.commit.isDone { covered.append(entry.account) }
            kept.append(([entry.snapshot], entry.commit))
        }
        return kept.reversed()
    }

    /// `name`'s `account.<name>` snapshot as the account is now.
    private mutating func accountSnapshot(_ name: String) -> InventorySnapshot {
        InventorySnapshot(positions: accountRows.rows(account: name, venue: venue, limits: limits), accounts: accounts(account: name),
                          venueEpoch: epoch)
    }
}
