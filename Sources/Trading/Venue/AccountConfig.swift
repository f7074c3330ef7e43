/// Starting holdings of an account in one symbol.
public struct Balance: Sendable, Hashable, Codable {
    /// Base units held. Non-zero starting base is valued from the symbol's first quote:
    /// its average entry price is set to that quote's mid, so PnL counts from the open.
    public var base: Quantity
    /// Quote currency available for this symbol.
    public var quote: Money

    /// Creates a balance.
    public init(base: Quantity = 0, quote: Money = 0) {
        self.base = base
        self.quote = quote
    }
}

/// An account on the simulated venue.
public struct AccountConfig: Sendable, Hashable, Codable {
    /// Unique account name.
    public var name: String
    /// Starting holdings keyed by symbol; symbols left out start at zero.
    public var balances: [String: Balance]
    /// Whether sells may take base below zero. Buys always need the quote in hand.
    public var allowShort: Bool

    /// Creates an account.
    public init(name: String, balances: [String: Balance], allowShort: Bool = false) {
        self.name = name
        self.balances = balances
        self.allowShort = allowShort
    }
}
