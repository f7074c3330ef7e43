import WireProtocol

/// One account as its `account.<name>` events alone have left it: the whole listing that the
/// next event, when it lists only what changed (`since_sequence`), is applied to. What any
/// reader of the events keeps per account (the RiskManager's `PortfolioBook` does).
public struct AccountEventChain: Sendable {
    /// The venue epoch the events are numbered in.
    public private(set) var epoch: String?
    /// The account's entry, with every balance, its version and the number of the event that
    /// left it so.
    public private(set) var account: AccountPayload
    /// Its rows, one per symbol, in symbol order.
    public private(set) var rows: [PositionPayload]

    /// The chain after an event's entry `account` and its `rows`, with the whole listing of the
    /// account they make. A whole listing (no `since_sequence`) starts a chain of its own. A
    /// listing of changes applies only to `chain` as exactly the event it follows left it, in
    /// the same epoch: the balances it lists replace theirs, the rows it lists replace theirs
    /// (or join in symbol order), and every row's `quote` becomes the account's balance of its
    /// quote asset. Nil when it cannot be applied: no chain, another epoch or event, or a row
    /// without its quote asset.
    public static func applying(_ account: AccountPayload, rows: [PositionPayload], epoch: String?,
                         to chain: AccountEventChain?) -> (chain: AccountEventChain, snapshot: InventorySnapshot)? {
        guard let since = account.sinceSequence else {
            let whole = AccountEventChain(epoch: epoch, account: account, rows: rows)
            return (whole, InventorySnapshot(positions: rows, accounts: [account], venueEpoch: epoch))
        }
        guard let chain, chain.epoch == epoch, chain.account.sequence == since else { return nil }
        var balances = chain.account.balances
        for balance in account.balances {
            if let at = balances.firstIndex(where: { $0.asset == balance.asset }) { balances[at] = balance } else { balances.append(balance) }
        }
        var merged = chain.rows
        for row in rows {
            if let at = merged.firstIndex(where: { $0.symbol == row.symbol }) {
                merged[at] = row
            } else {
                merged.insert(row, at: merged.firstIndex { $0.symbol > row.symbol } ?? merged.endIndex)
            }
        }
        for at in merged.indices {
            guard let asset = merged[at].quoteAsset, let balance = balances.first(where: { $0.asset == asset }) else { return nil }
            merged[at].quote = balance.amount
        }
        var entry = account
        entry.balances = balances
        entry.sinceSequence = nil
        let next = AccountEventChain(epoch: epoch, account: entry, rows: merged)
        return (next, InventorySnapshot(positions: merged, accounts: [entry], venueEpoch: epoch))
    }
}
