/// Hedge advice: the trade that brings effective inventory back to its limit.
/// The inventory manager only advises; the strategy decides whether to take it.
public struct HedgeSuggestion: Sendable, Hashable, Codable {
    /// Sell when too long, buy when too short.
    public var side: Side
    /// Base units that bring |effective inventory| back to the limit exactly.
    public var qty: Double
    /// The numbers behind the advice, for logs.
    public var reason: String
}

/// The inventory of one account in one symbol: the filled position, what
/// resting orders could still add or remove, and how that compares with the limit.
///
/// Resting orders count because a maker's quotes can all be hit at once faster than it
/// can cancel them: EffectiveInventory = position + pending buys − pending sells.
public struct InventoryState: Sendable, Hashable, Codable {
    /// Owning account.
    public var account: String
    /// Symbol.
    public var symbol: String
    /// Filled position in base units; negative is short.
    public var position: Double
    /// Unfilled quantity of resting buys, in base units.
    public var pendingBuyQty: Double
    /// Unfilled quantity of resting sells, in base units.
    public var pendingSellQty: Double
    /// position + pendingBuyQty − pendingSellQty.
    public var effectiveInventory: Double
    /// Quantity-weighted entry price of `position` (0 when flat).
    public var averageEntryPrice: Double
    /// Realized profit so far, in quote, before fees.
    public var realizedPnl: Double
    /// Mid price the position is marked at; nil before the symbol's first quote.
    public var mark: Double?
    /// (mark − average entry) × position; 0 without a mark.
    public var unrealizedPnl: Double
    /// position × mark; 0 without a mark.
    public var positionValue: Double
    /// The limit applied, nil when unlimited.
    public var maxInventory: Double?
    /// |effectiveInventory| > maxInventory.
    public var isOverLimit: Bool
    /// |effectiveInventory| / maxInventory, so 1.5 is half as much again as allowed;
    /// 0 when unlimited.
    public var overLimitFactor: Double
    /// The trade back to the limit; nil unless over it.
    public var hedgeSuggestion: HedgeSuggestion?

    /// Evaluates an inventory from its parts. Pending quantities must be finite and not
    /// negative, the mark (when given) and the limit positive and finite.
    public init(
        position: Position, pendingBuyQty: Double, pendingSellQty: Double, mark: Double?, maxInventory: Double?
    ) throws(TradingError) {
        for (name, qty) in [("pendingBuyQty", pendingBuyQty), ("pendingSellQty", pendingSellQty)]
        where !(qty.isFinite && qty >= 0) {
            throw TradingError(.invalidQuantity, "\(name) must be finite and not negative, got \(qty)")
        }
        if let mark, !(mark.isFinite && mark > 0) {
            throw TradingError(.invalidPrice, "mark must be positive and finite, got \(mark)")
        }
        if let maxInventory, !(maxInventory.isFinite && maxInventory > 0) {
            throw TradingError(.invalidConfig, "max inventory must be positive and finite, got \(maxInventory)")
        }
        self.init(evaluating: position, pendingBuyQty: pendingBuyQty, pendingSellQty: pendingSellQty,
                  mark: mark, maxInventory: maxInventory)
    }

    /// The venue's own inputs are valid by construction, so it skips the checks.
    init(evaluating position: Position, pendingBuyQty: Double, pendingSellQty: Double, mark: Double?, maxInventory: Double?) {
        account = position.account
        symbol = position.symbol
        self.position = position.base
        self.pendingBuyQty = pendingBuyQty
        self.pendingSellQty = pendingSellQty
        effectiveInventory = position.base + pendingBuyQty - pendingSellQty
        averageEntryPrice = position.averageEntryPrice
        realizedPnl = position.realizedPnl
        self.mark = mark
        unrealizedPnl = mark.map { position.unrealizedPnl(mark: $0) } ?? 0
        positionValue = mark.map { position.base * $0 } ?? 0
        self.maxInventory = maxInventory
        let size = abs(effectiveInventory)
        isOverLimit = maxInventory.map { size > $0 } ?? false
        overLimitFactor = maxInventory.map { size / $0 } ?? 0
        hedgeSuggestion = maxInventory.flatMap { limit in
            guard size > limit else { return nil }
            // Sell effective − max when long, buy the mirror amount when short.
            let side: Side = effectiveInventory > 0 ? .sell : .buy
            let reason = "effective inventory \(NumberText.units(effectiveInventory)) "
                + "(position \(NumberText.units(position.base)) + pending buy \(NumberText.units(pendingBuyQty)) "
                + "− pending sell \(NumberText.units(pendingSellQty))) is beyond the limit of ±\(NumberText.units(limit))"
            return HedgeSuggestion(side: side, qty: size - limit, reason: reason)
        }
    }
}
