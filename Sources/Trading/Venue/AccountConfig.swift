/// An account's holdings seen from one symbol: its balance of the symbol's base asset and of
/// its quote asset (the per-pair view of seed 001, derived from the per-asset balances).
public struct Balance: Sendable, Hashable, Codable {
    /// Units of the base asset.
    public var base: Quantity
    /// Units of the quote asset.
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
    /// Starting balance per asset ("USD", "BTC"); assets left out start at zero. One USD
    /// balance pays for every USD-quoted symbol. Starting base is valued from the first quote
    /// of the first listed symbol with that base asset, which also carries it as its position.
    public var balances: [String: AssetAmount]
    /// Whether sells may take base below zero. Without `margin` buys still need the quote in hand.
    public var allowShort: Bool
    /// Margin terms, for a short-enabled (perpetual-style) account: orders on either side are
    /// checked against initial margin instead of balances, and the account is liquidated
    /// below maintenance margin, per quote asset (each asset's positions against the
    /// account's balance of it). Without them a short-enabled account is still a margin
    /// account, fully collateralised: `MarginTerms.fullyCollateralised` (leverage 1).
    public var margin: MarginTerms?

    /// Creates an account from its balances per asset.
    public init(name: String, balances: [String: AssetAmount], allowShort: Bool = false, margin: MarginTerms? = nil) {
        self.name = name
        self.balances = balances
        self.allowShort = allowShort
        self.margin = margin
    }

    /// Creates an account from per-symbol holdings: each symbol's base is added to its base
    /// asset and its quote to its quote asset (so 50,000 in BTC-USD and 20,000 in ETH-USD is
    /// 70,000 USD). Symbols whose names spell no pair (see `AssetPair(symbol:)`) are skipped.
    public init(name: String, perSymbol holdings: [String: Balance], allowShort: Bool = false) {
        var balances: [String: AssetAmount] = [:]
        for (symbol, holding) in holdings {
            guard let pair = AssetPair(symbol: symbol) else { continue }
            balances[pair.base, default: 0] += AssetAmount(same: holding.base)
            balances[pair.quote, default: 0] += AssetAmount(same: holding.quote)
        }
        self.init(name: name, balances: balances, allowShort: allowShort)
    }
}

extension AccountConfig {
    /// The terms the venue margins this account with: its own, or for a short-enabled account
    /// without any, leverage 1 (a short never exceeds what the collateral covers); nil for a
    /// spot account. Refuses terms on an account that may not short, and invalid terms.
    func validatedMarginTerms() throws(TradingError) -> MarginTerms? {
        guard allowShort else {
            guard margin == nil else {
                throw TradingError(.invalidConfig, "account \(name) has margin terms but is not short-enabled (allowShort)")
            }
            return nil
        }
        return try (margin ?? .fullyCollateralised).validated(account: name)
    }
}
