/// Why the venue stopped or refused to go on.
public struct VenueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, growable classification.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The ledger could not be written: the venue must stop rather than answer with state
        /// that is not durable; a restart restores a consistent state from the ledger.
        public static let ledgerFailed = Code(rawValue: "ledger_failed")
    }

    /// What kind of failure.
    public var code: Code
    /// A sentence a person can act on.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
