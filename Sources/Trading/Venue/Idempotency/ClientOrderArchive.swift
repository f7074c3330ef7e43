/// Where a venue that keeps only its recent client order ids in memory looks up older ones:
/// a durable record of every first result (the MarketMaker's ledger).
///
/// Looked up only for an id the venue no longer holds in memory and its filter of every id
/// it has seen says it may have seen, so a new id (the usual case) never reaches it.
public protocol ClientOrderArchive: Sendable {
    /// The first result recorded for `clientOrderId` of `account`, nil when none is.
    /// Throws when the record cannot be read; the order is then refused, not guessed.
    func firstResult(account: String, clientOrderId: String) throws -> OrderResult?
}
