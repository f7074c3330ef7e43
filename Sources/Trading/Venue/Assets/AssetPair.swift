/// Marks amounts of one named asset (USD, BTC, ETH): an account's balance in it, whatever
/// role the asset plays in the pairs that trade it.
public enum AssetAmountKind: FixedPointKind { public static let noun = "asset amount" }

/// An amount of one asset, exact to 10⁻⁸: the unit an account's balances are kept in.
public typealias AssetAmount = FixedPoint<AssetAmountKind>

extension FixedPoint {
    /// The same number of 10⁻⁸ units as `other`, which measures the same thing under another
    /// name: a base balance as a quantity, a quote balance as money, and back.
    @inlinable
    init<Other: FixedPointKind>(same other: FixedPoint<Other>) { self.init(raw: other.raw) }
}

/// The two assets a symbol trades: buying one unit of `base` pays its price in `quote`.
public struct AssetPair: Sendable, Hashable, Codable {
    /// The asset bought and sold, e.g. "BTC" in BTC-USD.
    public var base: String
    /// The asset prices, fees and PnL are in, e.g. "USD" in BTC-USD.
    public var quote: String

    /// Creates a pair; `SimulatedVenue.init` checks that the names are not empty and differ.
    public init(base: String, quote: String) {
        self.base = base
        self.quote = quote
    }

    /// The pair a symbol's name spells as BASE-QUOTE, BASE/QUOTE or BASE_QUOTE ("BTC-USD" is
    /// BTC and USD); nil for a name with no such single separator.
    public init?(symbol: String) {
        for separator: Character in ["-", "/", "_"] {
            let parts = symbol.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            guard !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            self.init(base: String(parts[0]), quote: String(parts[1]))
            return
        }
        return nil
    }
}
