/// Hedge advice: the trade that brings effective inventory back to its limit.
/// The inventory manager only advises; the strategy decides whether to take it.
public struct HedgeSuggestion: Sendable, Hashable, Codable {
    /// Sell when too long, buy when too short.
    public var side: Side
    /// Base units that bring |effective inventory| back to the limit exactly.
    public var qty: Quantity
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
    public var position: Quantity
    /// Unfilled quantity of resting buys, in base units.
    public var pendingBuyQty: Quantity
    /// Unfilled quantity of resting sells, in base units.
    public var pendingSellQty: Quantity
    /// position + pendingBuyQty − pendingSellQty.
    public var effectiveInventory: Quantity
    /// Quantity-weighted entry price of `position` (0 when flat).
    public var averageEntryPrice: Price
    /// Realized profit so far, in quote, before fees.
    public var realizedPnl: Money
    /// Mid price the position is marked at; nil before the symbol's first quote.
    public var mark: Price?
    /// (mark − average entry) × position; 0 without a mark.
    public var unrealizedPnl: Money
    /// position × mark; 0 without a mark.
    public var positionValue: Money
    /// The limit applied, nil when unlimited.
    public var maxInventory: Quantity?
    /// |effectiveInventory| > maxInventory.
    public var isOverLimit: Bool
    /// |effectiveInventory| / maxInventory, so 1.5 is half as much again as allowed;
    /// 0 when unlimited.
    public var overLimitFactor: Double
    /// The trade back to the limit; nil unless over it.
    public var hedgeSuggestion: HedgeSuggestion?

    /// Evaluates an inventory from its parts. Pending quantities must not be negative, the
    /// mark (when given) and the limit must be positive, and the sums must stay in range.
    public init(
        position: Position, pendingBuyQty: Quantity, pendingSellQty: Quantity, mark: Price?, maxInventory: Quantity?
    ) throws(TradingError) {
        for (name, qty) in [("pendingBuyQty", pendingBuyQty), ("pendingSellQty", pendingSellQty)] where qty.isNegative {
            throw TradingError(.invalidQuantity, "\(name) must not be negative, got \(qty)")
        }
        if let mark, !mark.isPositive {
            throw TradingError(.invalidPrice, "mark must be positive, got \(mark)")
        }
        if let maxInventory, !maxInventory.isPositive {
            throw TradingError(.invalidConfig, "max inventory must be positive, got \(maxInventory)")
        }
        do {
            _ = try position.base.adding(pendingBuyQty).subtracting(pendingSellQty)
            if let mark { _ = try mark.notional(position.base); _ = try mark.subtracting(position.averageEntryPrice).notional(position.base) }
        } catch {
            throw TradingError(.invalidQuantity, "inventory of \(position.account) \(position.symbol) is out of range: \(error)")
        }
        self.init(evaluating: position, pendingBuyQty: pendingBuyQty, pendingSellQty: pendingSellQty,
                  mark: mark, maxInventory: maxInventory)
    }

    /// The venue's own inputs are valid by construction, so it skips the checks.
    ///
    /// Positions and reservations the venue holds are in range, so the sums cannot overflow.
    init(evaluating position: Position, pendingBuyQty: Quantity, pendingSellQty: Quantity, mark: Price?, maxInventory: Quantity?) {
        account = position.account
        symbol = position.symbol
        self.position = position.base
        self.pendingBuyQty = pendingBuyQty
        self.pendingSellQty = pendingSellQty
        effectiveInventory = position.base + pendingBuyQty - pendingSellQty
        averageEntryPrice = position.averageEntryPrice
        realizedPnl = position.realizedPnl
        self.mark = mark
        // A flat position is worth nothing at any mark, as the products below give for it: most
        // of a listing of many accounts is flat, and the products are most of a row's work.
        let flat = position.base.isZero
        unrealizedPnl = flat ? 0 : mark.flatMap { position.unrealizedPnl(mark: $0) } ?? 0
        positionValue = flat ? 0 : mark.flatMap { try? $0.notional(position.base) } ?? 0
        self.maxInventory = maxInventory
        let size = effectiveInventory.magnitude
        isOverLimit = maxInventory.map { size > $0 } ?? false
        overLimitFactor = maxInventory.map { size.double / $0.double } ?? 0
        hedgeSuggestion = maxInventory.flatMap { limit in
            guard size > limit else { return nil }
            // Sell effective − max when long, buy the mirror amount when short.
            let side: Side = effectiveInventory.isPositive ? .sell : .buy
            let reason = "effective inventory \(effectiveInventory) "
                + "(position \(position.base) + pending buy \(pendingBuyQty) "
                + "− pending sell \(pendingSellQty)) is beyond the limit of ±\(limit)"
            return HedgeSuggestion(side: side, qty: size - limit, reason: reason)
        }
    }
}
