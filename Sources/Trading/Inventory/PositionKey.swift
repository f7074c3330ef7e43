/// Identifies a position: one account in one symbol.
public struct PositionKey: Sendable, Hashable, Codable, Comparable {
    /// Account name.
    public var account: String
    /// Symbol.
    public var symbol: String

    /// Creates a key.
    public init(account: String, symbol: String) {
        self.account = account
        self.symbol = symbol
    }

    /// Account first, then symbol, so listings read account by account.
    public static func < (lhs: PositionKey, rhs: PositionKey) -> Bool {
        (lhs.account, lhs.symbol) < (rhs.account, rhs.symbol)
    }
}

/// Identifies a balance: one account's holding of one asset.
public struct AssetKey: Sendable, Hashable, Codable, Comparable {
    /// Account name.
    public var account: String
    /// Asset, e.g. "USD".
    public var asset: String

    /// Creates a key.
    public init(account: String, asset: String) {
        self.account = account
        self.asset = asset
    }

    /// Account first, then asset.
    public static func < (lhs: AssetKey, rhs: AssetKey) -> Bool {
        (lhs.account, lhs.asset) < (rhs.account, rhs.asset)
    }
}
