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
    /// account they make (see `apply(_:rows:epoch:to:)`); nil when the event cannot be applied.
    public static func applying(_ account: AccountPayload, rows: [PositionPayload], epoch: String?,
                                to chain: AccountEventChain?) -> (chain: AccountEventChain, snapshot: InventorySnapshot)? {
        var next = chain
        guard apply(account, rows: rows, epoch: epoch, to: &next), let next else { return nil }
        return (next, InventorySnapshot(positions: next.rows, accounts: [next.account], venueEpoch: epoch))
    }

    /// Applies an event's entry `account` and its `rows` to `chain` in place. A whole listing
    /// (no `since_sequence`) starts a chain of its own. A listing of changes applies only to
    /// `chain` as exactly the event it follows left it, in the same epoch: the balances it
    /// lists replace theirs, the rows it lists replace theirs (or join in symbol order), and
    /// every row's `quote` becomes the account's balance of its quote asset. False, with
    /// `chain` nil, when it cannot be applied: no chain, another epoch or event, or a row
    /// without its quote asset. In place, so the rows and balances the chain holds are changed
    /// where they are rather than copied.
    public static func apply(_ account: AccountPayload, rows: [PositionPayload], epoch: String?,
                             to chain: inout AccountEventChain?) -> Bool {
        guard let since = account.sinceSequence else {
            chain = AccountEventChain(epoch: epoch, account: account, rows: rows)
            return true
        }
        guard var current = chain.take(), current.epoch == epoch, current.account.sequence == since else { return false }
        for balance in account.balances {
            if let at = current.account.balances.firstIndex(where: { $0.asset == balance.asset }) {
                current.account.balances[at] = balance
            } else {
                current.account.balances.append(balance)
            }
        }
        for row in rows {
            if let at = current.rows.firstIndex(where: { $0.symbol == row.symbol }) {
                current.rows[at] = row
            } else {
                current.rows.insert(row, at: current.rows.firstIndex { $0.symbol > row.symbol } ?? current.rows.endIndex)
            }
        }
        for at in current.rows.indices {
            guard let asset = current.rows[at].quoteAsset,
                  let balance = current.account.balances.first(where: { $0.asset == asset }) else { return false }
            current.rows[at].quote = balance.amount
        }
        let balances = current.account.balances
        current.account = account
        current.account.balances = balances
        current.account.sinceSequence = nil
        chain = current
        return true
    }
}
