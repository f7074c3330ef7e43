/// A margin account marked to market: the numbers `inventory.get` reports and the venue
/// checks orders and liquidation against. All exact; amounts in the collateral (quote) asset.
///
/// - equity = collateral + Σ base × mark (the quote balance already holds what the trades
///   paid and received, so this is collateral + unrealized PnL at the marks)
/// - margin used = Σ ⌈worst-case |base| × mark / maxLeverage⌉ (initial margin, resting orders included)
/// - maintenance margin = Σ ⌈|base| × mark × maintenanceBps / 10 000⌉
/// - available margin = equity − margin used
public struct MarginState: Sendable, Hashable, Codable {
    /// The asset collateral and every amount here are in.
    public var collateralAsset: String
    /// The leverage the account may use.
    public var maxLeverage: Int
    /// Collateral plus unrealized PnL at the marks.
    public var equity: Money
    /// Initial margin of the positions and resting orders.
    public var marginUsed: Money
    /// Below this equity the venue liquidates.
    public var maintenanceMargin: Money
    /// Per open position, the mark at which equity would meet maintenance margin with every
    /// other mark unchanged; absent when no such positive price exists.
    public var liquidationPrices: [String: Price]

    /// equity − margin used: what new orders may still commit.
    public var availableMargin: Money { equity - marginUsed }

    /// True when equity is below maintenance margin: the account is liquidated.
    public var isUnderwater: Bool { maintenanceMargin.isPositive && equity < maintenanceMargin }

    /// Marks an account holding `collateral` of `asset` and `legs` under `terms`; nil when a
    /// number leaves the fixed-point range.
    public init?(collateral: Money, asset: String, legs: [MarginLeg], terms: MarginTerms) {
        do {
            var equity = collateral, used = Money.zero, maintenance = Money.zero
            var maintenanceByLeg: [Money] = []
            for leg in legs {
                equity = try equity.adding(try leg.mark.notional(leg.base))
                used = try used.adding(try Self.initialMargin(leg.worstCase, mark: leg.mark, terms: terms))
                let legMaintenance = try Self.maintenance(leg.base.magnitude, mark: leg.mark, terms: terms)
                maintenanceByLeg.append(legMaintenance)
                maintenance = try maintenance.adding(legMaintenance)
            }
            var prices: [String: Price] = [:]
            for (leg, legMaintenance) in zip(legs, maintenanceByLeg) where !leg.base.isZero {
                // equity(p) = E − b·m + b·p and maintenance(p) = Mₒ + |b|·p·r (Mₒ: the other
                // legs') meet at p = (Mₒ − (E − b·m)) / (b · (1 ∓ r)), − for a long, + for a short.
                let others = try maintenance.subtracting(legMaintenance)
                let gap = try others.subtracting(try equity.subtracting(try leg.mark.notional(leg.base)))
                let factor = Int64(leg.base.isPositive ? 10_000 - terms.maintenanceBps : 10_000 + terms.maintenanceBps)
                let scaled = try gap.scaled(by: 10_000, over: factor, .toNearestOrAwayFromZero)
                // perUnit divides by a positive quantity: carry the sign of b in the numerator.
                let price = try (leg.base.isPositive ? scaled : -scaled).perUnit(leg.base.magnitude)
                if price.isPositive { prices[leg.symbol] = price }
            }
            self.collateralAsset = asset
            self.maxLeverage = terms.maxLeverage
            self.equity = equity
            self.marginUsed = used
            self.maintenanceMargin = maintenance
            self.liquidationPrices = prices
        } catch {
            return nil
        }
    }

    /// ⌈qty × mark / maxLeverage⌉ to 10⁻⁸.
    static func initialMargin(_ qty: Quantity, mark: Price, terms: MarginTerms) throws(FixedPointError) -> Money {
        try mark.notional(qty, .up).scaled(by: 1, over: Int64(terms.maxLeverage), .up)
    }

    /// ⌈qty × mark × maintenanceBps / 10 000⌉ to 10⁻⁸.
    static func maintenance(_ qty: Quantity, mark: Price, terms: MarginTerms) throws(FixedPointError) -> Money {
        try mark.notional(qty, .up).scaled(by: Int64(terms.maintenanceBps), over: 10_000, .up)
    }
}
