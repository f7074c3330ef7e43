/// Hummingbot-style inventory skew of order sizes: keeps the base asset's share of the
/// portfolio value near a target by quoting more on the side that restores it.
///
/// A band of ± rangeMultiplier × total order size (in base, valued at price) around the
/// target base value maps linearly onto bid multipliers 2 … 1 … 0 from its low edge
/// through the target to its high edge; ask = 2 − bid. Outside the band the multipliers
/// stay clamped at 0 and 2, so a portfolio far too heavy in base stops bidding entirely.
public struct InventorySizeSkew: Sendable, Hashable {
    /// Target share of portfolio value held in base, 0…1 (0.5 = half).
    public let inventoryTargetBasePct: Double
    /// Half-width of the band in units of the total order size; larger is gentler.
    public let inventoryRangeMultiplier: Double

    /// Creates a skew; the target must lie in 0…1 and the multiplier be positive and finite.
    public init(inventoryTargetBasePct: Double = 0.5, inventoryRangeMultiplier: Double = 1) throws(TradingError) {
        guard inventoryTargetBasePct.isFinite, (0...1).contains(inventoryTargetBasePct) else {
            throw TradingError(.invalidConfig, "inventoryTargetBasePct must be in 0…1, got \(inventoryTargetBasePct)")
        }
        guard inventoryRangeMultiplier.isFinite, inventoryRangeMultiplier > 0 else {
            throw TradingError(.invalidConfig, "inventoryRangeMultiplier must be positive and finite, got \(inventoryRangeMultiplier)")
        }
        self.inventoryTargetBasePct = inventoryTargetBasePct
        self.inventoryRangeMultiplier = inventoryRangeMultiplier
    }

    /// Size multipliers for holdings of `baseBalance` and `quoteBalance` at `price`, where
    /// one refresh of quotes totals `totalOrderSize` base over both sides (see
    /// `QuoteLadder.totalOrderSize`). A portfolio worth nothing gets 0 on both sides.
    public func multipliers(
        baseBalance: Double, quoteBalance: Double, price: Double, totalOrderSize: Double
    ) throws(TradingError) -> SizeMultipliers {
        guard baseBalance.isFinite, quoteBalance.isFinite else {
            throw TradingError(.invalidQuantity, "balances must be finite, got base \(baseBalance), quote \(quoteBalance)")
        }
        guard price.isFinite, price > 0 else { throw TradingError(.invalidPrice, "price must be positive and finite, got \(price)") }
        guard totalOrderSize.isFinite, totalOrderSize > 0 else {
            throw TradingError(.invalidQuantity, "totalOrderSize must be positive and finite, got \(totalOrderSize)")
        }
        let baseValue = baseBalance * price
        let total = baseValue + quoteBalance
        guard total > 0 else { return SizeMultipliers(bid: 0, ask: 0) }
        let target = total * inventoryTargetBasePct
        let range = inventoryRangeMultiplier * totalOrderSize * price
        // Holding less than nothing is impossible in spot, so the band stops at zero.
        let low = max(target - range, 0)
        let bid: Double
        if baseValue < target {
            let width = target - low
            bid = width > 0 ? min(2, 1 + (target - baseValue) / width) : 2
        } else {
            bid = max(0, 1 - (baseValue - target) / range)
        }
        return SizeMultipliers(bid: bid, ask: 2 - bid)
    }
}

/// Factors applied to the configured order quantity on each side.
public struct SizeMultipliers: Sendable, Hashable, Codable {
    /// Factor for bid sizes, 0…2.
    public var bid: Double
    /// Factor for ask sizes, 0…2.
    public var ask: Double

    /// Creates multipliers; the default leaves sizes unchanged.
    public init(bid: Double = 1, ask: Double = 1) {
        self.bid = bid
        self.ask = ask
    }
}
