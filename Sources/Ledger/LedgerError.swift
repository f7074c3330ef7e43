/// Why the ledger refused a batch or could not read itself back.
///
/// SQLite's own failures (a full disk, a constraint violation) arrive as GRDB's
/// `DatabaseError`; this type covers what the ledger checks itself.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, naming the order or row involved.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
