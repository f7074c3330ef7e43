import Trading

/// The amounts of the asset balances a ledger's commits left, account by account, in the order
/// the batches listed them. The venue lists an account's assets in one order every time, so a
/// batch's balance is found on record by its place in that order (a comparison of two short
/// names) rather than by hashing its account and asset; a balance out of that order is looked
/// for among its account's, and one never seen is added.
struct LedgerBalanceMemory {
    private var accounts: [String: [AssetAmountOnRecord]] = [:]
    /// The account the last balance was of; its balances are in `balances` meanwhile (out of
    /// `accounts`, so a change copies nothing), and the next is expected at `next`.
    private var account: String?
    private var balances: [AssetAmountOnRecord] = []
    private var next = 0

    /// Whether `balance` differs from the amount on record, which it then becomes.
    mutating func changes(to balance: borrowing AccountAssetBalance) -> Bool {
        if account != balance.account {
            settle()
            balances = accounts.removeValue(forKey: balance.account) ?? []
            account = balance.account
            next = 0
        }
        let place: Int
        if next < balances.count, balances[next].asset == balance.asset {
            place = next
        } else if let found = balances.firstIndex(where: { $0.asset == balance.asset }) {
            place = found
        } else {
            balances.append(AssetAmountOnRecord(asset: balance.asset, amount: nil))
            place = balances.count - 1
        }
        next = place + 1
        guard balances[place].amount != balance.amount else { return false }
        balances[place].amount = balance.amount
        return true
    }

    /// The memory with every change made through `changes(to:)` in it.
    consuming func settled() -> LedgerBalanceMemory {
        settle()
        return self
    }

    private mutating func settle() {
        guard let account else { return }
        accounts[account] = balances
        self.account = nil
        balances = []
    }
}

/// One asset's amount on record; nil until the ledger has written one.
private struct AssetAmountOnRecord {
    let asset: String
    var amount: AssetAmount?
}
