import Trading

/// The ledger holds the first result of every client order id the venue answered (its
/// `remembered` orders), so it is the archive a venue keeping only recent ids in memory asks.
extension LedgerStore: ClientOrderArchive {
    public func firstResult(account: String, clientOrderId: String) throws -> OrderResult? {
        try rememberedResult(account: account, clientOrderId: clientOrderId)
    }
}
