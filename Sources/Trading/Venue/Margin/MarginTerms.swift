/// Margin terms of a short-enabled (perpetual-style) account: its collateral is its balance
/// of the quote asset, and positions in either direction are limited by leverage.
public struct MarginTerms: Sendable, Hashable, Codable {
    /// Initial margin = |notional| / maxLeverage; 1...1000.
    public var maxLeverage: Int
    /// Maintenance margin in basis points of |notional| (50 = 0.5 %); below it the venue
    /// liquidates. 0...10000, and below 10000 / maxLeverage so an order that just fits is not
    /// liquidated at once.
    public var maintenanceBps: Int

    /// Creates terms; `SimulatedVenue.init` validates them.
    public init(maxLeverage: Int, maintenanceBps: Int = 50) {
        self.maxLeverage = maxLeverage
        self.maintenanceBps = maintenanceBps
    }

    /// Leverage 1 with the default maintenance rate: what a short-enabled account without terms
    /// of its own is margined with. Initial margin is the whole |notional|.
    public static let fullyCollateralised = MarginTerms(maxLeverage: 1)

    /// The terms if valid, else the reason naming `account`.
    func validated(account: String) throws(TradingError) -> MarginTerms {
        guard (1...1_000).contains(maxLeverage) else {
            throw TradingError(.invalidConfig, "account \(account) max_leverage must be 1…1000, got \(maxLeverage)")
        }
        guard maintenanceBps >= 0, maintenanceBps * maxLeverage < 10_000 else {
            throw TradingError(.invalidConfig, "account \(account) maintenance margin \(maintenanceBps) bps must be ≥ 0 and below "
                + "the initial margin of 1/\(maxLeverage) (\(10_000 / maxLeverage) bps)")
        }
        return self
    }
}

/// One symbol's part of a margin account: the position, what resting orders could add, and
/// the mark it is valued at.
public struct MarginLeg: Sendable, Hashable {
    /// Symbol.
    public var symbol: String
    /// Base held (the account's balance of the symbol's base asset); negative is short.
    public var base: Quantity
    /// Unfilled resting buys and sells, in base.
    public var pendingBuy: Quantity
    public var pendingSell: Quantity
    /// The mid the leg is valued at.
    public var mark: Price

    /// Creates a leg.
    public init(symbol: String, base: Quantity, pendingBuy: Quantity = 0, pendingSell: Quantity = 0, mark: Price) {
        self.symbol = symbol
        self.base = base
        self.pendingBuy = pendingBuy
        self.pendingSell = pendingSell
        self.mark = mark
    }

    /// The largest position the resting orders could leave: max(|base + pending buy|,
    /// |base − pending sell|). Initial margin is charged on it, so resting orders need margin too.
    var worstCase: Quantity { max((base + pendingBuy).magnitude, (base - pendingSell).magnitude) }
}
