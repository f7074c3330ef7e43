import Synchronization
import WireFormat
import WireProtocol

/// Makes each `account.<name>` event list what changed since the account's previous event, so
/// an order costs its publisher and its readers the rows and balances it moved rather than the
/// whole account: every row of every symbol carries the quote asset's balance, so without this
/// an event of an account trading N symbols lists N rows after any order.
///
/// Each event of an account is numbered (`sequence`, from 1 in the venue's epoch; a tick round
/// can publish the account again at the same version, with new marks). An event that lists
/// changes names the event it follows (`since_sequence`, always the number before its own) and
/// holds the rows that changed other than in `quote` (a row's `quote` is the account's balance
/// of its quote asset, which the balances give) and the balances that changed; the margin
/// books are always whole. A reader holding the account as exactly that event left it applies
/// the changes; any other reader waits for a whole listing or asks `inventory.get`. Whole
/// listings are published for the first event of an account in the venue's epoch, every
/// `wholeEvery` events and `wholeIntervalMicros` after the last one (on the venue's clock),
/// when the account's symbols or assets changed, and when a row does not name its quote asset.
/// An event of an older version than the last one published (a follow-up that finished after
/// a later one) is not published: the later event covers it.
///
/// Events must be taken through `outgoing` in the order they are published.
final class AccountEventDeltas: Sendable {
    /// What the events published so far said of one account: its rows and balances in the
    /// order the venue lists them (symbols and assets by name), so a listing is compared with
    /// the one before it place by place, with no look-ups.
    private struct Published {
        var epoch: String?
        var version: UInt64
        var sequence: UInt64
        var rows: [PositionPayload]
        var balances: [AssetBalancePayload]
        var sinceWhole: Int
        /// When the last whole listing was published, µs on `time`.
        var wholeAt: Int64
    }

    private let state = Mutex<[String: Published]>([:])
    private let time: any TimeSource
    private let wholeEvery: Int
    private let wholeIntervalMicros: Int64

    /// Deltas with a whole listing at least every `wholeEvery` events and every
    /// `wholeIntervalMicros` on `time` (the venue's clock).
    init(time: any TimeSource, wholeEvery: Int = 32, wholeIntervalMicros: Int64 = 1_000_000) {
        self.time = time
        self.wholeEvery = max(1, wholeEvery)
        self.wholeIntervalMicros = wholeIntervalMicros
    }

    /// The event to publish for `snapshot`, a whole listing of one account (`accounts` holds
    /// its one entry, `positions` its rows): the snapshot numbered, or what changed since the
    /// account's previous event; nil when an event of a later version has been published. A
    /// snapshot of several accounts, or without a version, is published as it is.
    func outgoing(_ snapshot: InventorySnapshot) -> InventorySnapshot? {
        guard let accounts = snapshot.accounts, accounts.count == 1, let version = accounts[0].version else { return snapshot }
        var account = accounts[0]
        let now = time.nowMicros()
        return state.withLock { published -> InventorySnapshot? in
            let last = published[account.account].flatMap { $0.epoch == snapshot.venueEpoch ? $0 : nil }
            if let last, last.version > version { return nil }
            let sequence = (last?.sequence ?? 0) + 1
            account.sequence = sequence
            if let last, last.sinceWhole + 1 < wholeEvery, now &- last.wholeAt < wholeIntervalMicros,
               let changes = Self.changes(rows: snapshot.positions, balances: account.balances, since: last) {
                published[account.account] = Published(epoch: snapshot.venueEpoch, version: version, sequence: sequence,
                                                        rows: snapshot.positions, balances: account.balances,
                                                        sinceWhole: last.sinceWhole + 1, wholeAt: last.wholeAt)
                account.balances = changes.balances
                account.sinceSequence = last.sequence
                return InventorySnapshot(positions: changes.rows, accounts: [account], venueEpoch: snapshot.venueEpoch)
            }
            published[account.account] = Published(epoch: snapshot.venueEpoch, version: version, sequence: sequence, rows: snapshot.positions,
                                                    balances: account.balances, sinceWhole: 0, wholeAt: now)
            return InventorySnapshot(positions: snapshot.positions, accounts: [account], venueEpoch: snapshot.venueEpoch)
        }
    }

    /// The rows that changed since `last` other than in `quote`, and the balances that changed;
    /// nil when the listing cannot be told as changes: other symbols or assets than `last`'s, in
    /// another order, or a row without its quote asset.
    private static func changes(rows: [PositionPayload], balances: [AssetBalancePayload],
                                since last: Published) -> (rows: [PositionPayload], balances: [AssetBalancePayload])? {
        guard rows.count == last.rows.count, balances.count == last.balances.count else { return nil }
        // `sameBesideQuote` is inlined, so both rows are read where they are: a call to it
        // copied each row out of its array first, which cost more than the comparison.
        var changedRows: [PositionPayload] = []
        for at in rows.indices {
            guard rows[at].symbol == last.rows[at].symbol, rows[at].quoteAsset != nil else { return nil }
            if !rows[at].sameBesideQuote(last.rows[at]) { changedRows.append(rows[at]) }
        }
        var changedBalances: [AssetBalancePayload] = []
        for at in balances.indices {
            guard balances[at].asset == last.balances[at].asset else { return nil }
            if balances[at] != last.balances[at] { changedBalances.append(balances[at]) }
        }
        return (changedRows, changedBalances)
    }
}
