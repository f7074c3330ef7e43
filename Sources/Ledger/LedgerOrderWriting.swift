import Trading

/// Writes the text of an order's request and result columns without `Codable`: exactly what
/// `Codable` through Foundation's `JSONEncoder` writes there (members sorted, `/` escaped), or
/// nil for a value it leaves to that path. The ledger has no JSON writer of its own; the
/// MarketMaker hands its store one, and a store without one writes every column through
/// `Codable`. Either way the file holds the same text, so it reads the same.
public protocol LedgerOrderWriting: Sendable {
    /// The request column's text, or nil to leave it to `Codable`.
    func json(of request: OrderRequest) -> String?
    /// The result column's text, or nil to leave it to `Codable`.
    func json(of result: OrderResult) -> String?
}
