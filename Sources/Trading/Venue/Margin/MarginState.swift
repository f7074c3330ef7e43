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
    /// other mark unchanged; absent when no such positive price exists within the range of a
    /// price (±92,233,720,368.54775807).
    public var liquidationPrices: [String: Price]

    /// equity − margin used: what new orders may still commit.
    public var availableMargin: Money { equity - marginUsed }

    /// True when equity is below maintenance margin: the account is liquidated.
    public var isUnderwater: Bool { maintenanceMargin.isPositive && equity < maintenanceMargin }

    /// Marks an account holding `collateral` of `asset` and `legs` under `terms`; nil when the
    /// equity, margin used or maintenance margin leaves the fixed-point range (a liquidation
    /// price beyond it is only left out).
    public init?(collateral: Money, asset: String, legs: [MarginLeg], terms: MarginTerms) {
        do {
            var totals = MarginTotals(collateral: collateral)
            var valueAndMaintenance: [(value: Money, maintenance: Money)] = []
            valueAndMaintenance.reserveCapacity(legs.count)
            for leg in legs { valueAndMaintenance.append(try totals.add(leg, terms: terms)) }
            let (equity, used, maintenance) = (totals.equity, totals.used, totals.maintenance)
            var prices: [String: Price] = [:]
            for (leg, figures) in zip(legs, valueAndMaintenance) where !leg.base.isZero {
                let price = Self.liquidationPrice(leg, value: figures.value, maintenance: figures.maintenance,
                                                  equity: equity, totalMaintenance: maintenance, terms: terms)
                if let price { prices[leg.symbol] = price }
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

    /// The mark at which `leg` (worth `value` = base × mark, with maintenance `maintenance`)
    /// takes the equity down to the maintenance margin, every other mark unchanged; nil when
    /// that price is not positive or lies beyond the range of a price, where no mark can reach.
    ///
    /// equity(p) = E − b·m + b·p and maintenance(p) = Mₒ + |b|·p·r (Mₒ: the other legs') meet
    /// at p = (Mₒ − (E − b·m)) / (b · (1 ∓ r)), − for a long, + for a short. Worked in 128 bits
    /// with two roundings to the nearest (after dividing by 1 ∓ r, then per unit of |b|), so no
    /// intermediate overflows: a dust position against a large collateral (8e9 USD over
    /// 0.00000011 base) only puts the price far out of range.
    static func liquidationPrice(_ leg: MarginLeg, value: Money, maintenance: Money, equity: Money, totalMaintenance: Money,
                                 terms: MarginTerms) -> Price? {
        let gap = (Int128(totalMaintenance.raw) - Int128(maintenance.raw)) - (Int128(equity.raw) - Int128(value.raw))
        let factor = Int128(leg.base.isPositive ? 10_000 - terms.maintenanceBps : 10_000 + terms.maintenanceBps)
        let scaled = FixedPointMath.divide(gap * 10_000, by: factor, .toNearestOrAwayFromZero)
        // Divide by the positive |b|: carry the sign of b in the numerator.
        let numerator = (leg.base.isPositive ? scaled : -scaled) * Int128(Price.scale)
        let price = FixedPointMath.divide(numerator, by: Int128(leg.base.magnitude.raw), .toNearestOrAwayFromZero)
        guard price > 0, let raw = Int64(exactly: price) else { return nil }
        return Price(raw: raw)
    }
}
