/// Why a trading operation was refused: a machine-readable code plus a message that
/// states the numbers involved.
public struct TradingError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// A machine-readable reason. A struct rather than an enum so new codes can be added
    /// without breaking exhaustive switches in other targets; the raw value is the
    /// snake_case string sent on the wire.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The snake_case wire form, e.g. "insufficient_quote".
        public var rawValue: String

        /// Wraps a wire code, known or not.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Quantity missing, non-finite or not positive.
        public static let invalidQuantity = Code(rawValue: "invalid_quantity")
        /// Price missing, non-finite or not positive.
        public static let invalidPrice = Code(rawValue: "invalid_price")
        /// The symbol is not listed on the venue.
        public static let unknownSymbol = Code(rawValue: "unknown_symbol")
        /// The account is not configured on the venue.
        public static let unknownAccount = Code(rawValue: "unknown_account")
        /// Not enough quote currency to pay for a buy, fee included.
        public static let insufficientQuote = Code(rawValue: "insufficient_quote")
        /// Not enough base asset to deliver a sell.
        public static let insufficientBase = Code(rawValue: "insufficient_base")
        /// A configuration value is out of range.
        public static let invalidConfig = Code(rawValue: "invalid_config")
        /// A client order id was reused for a different order.
        public static let duplicateOrder = Code(rawValue: "duplicate_order")
        /// The venue has no quote for the symbol yet, so it cannot price the order.
        public static let noQuote = Code(rawValue: "no_quote")
        /// A client order id already used by the account came back with a different symbol,
        /// side, type, quantity or limit price.
        public static let duplicateClientOrderId = Code(rawValue: "duplicate_client_order_id")
        /// The simulated book cannot fill the order (whole, or within its limit price).
        public static let insufficientDepth = Code(rawValue: "insufficient_depth")
        /// A margin account's order would need more initial margin than its equity allows.
        public static let insufficientMargin = Code(rawValue: "insufficient_margin")

        public var description: String { rawValue }
    }

    /// The machine-readable reason.
    public var code: Code
    /// What went wrong, with the numbers.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
