/// Trading record of one account in one symbol: what that symbol's trades moved, and their
/// performance.
///
/// `base` is units of the traded asset this symbol holds, negative only for accounts allowed
/// to short; `quote` is the quote currency this symbol's trades paid and received. On the
/// venue the account's balances are kept per asset (one USD for every USD-quoted symbol) and
/// equal its starting balances plus these numbers summed over its symbols. Every number is
/// exact: a fill moves `base` by its quantity and `quote` by its notional and fee, so
/// selling what was bought leaves zero.
public struct Position: Sendable, Hashable, Codable {
    /// Owning account.
    public var account: String
    /// Symbol held.
    public var symbol: String
    /// Base units held; negative is a short.
    public var base: Quantity
    /// Quote currency this symbol's trades received minus what they paid (fees included);
    /// standalone, the quote held.
    public var quote: Money
    /// Quantity-weighted entry price of the current `base`, rounded to the nearest 10⁻⁸
    /// (0 when flat).
    public var averageEntryPrice: Price
    /// Profit locked in by reducing the position, in quote, before fees: (exit price −
    /// average entry) × reduced quantity, each reduction rounded to the nearest 10⁻⁸.
    public var realizedPnl: Money
    /// Fees paid so far, in quote.
    public var feesPaid: Money

    /// Creates a position; with `base` ≠ 0 pass the price it was acquired at.
    public init(
        account: String, symbol: String, base: Quantity = 0, quote: Money = 0,
        averageEntryPrice: Price = 0, realizedPnl: Money = 0, feesPaid: Money = 0
    ) {
        self.account = account
        self.symbol = symbol
        self.base = base
        self.quote = quote
        self.averageEntryPrice = averageEntryPrice
        self.realizedPnl = realizedPnl
        self.feesPaid = feesPaid
    }

    /// Books a fill. A fill with a non-positive price or quantity, a negative fee, or
    /// numbers whose effect would leave the range of a fixed-point value is not booked, so
    /// one bad record cannot corrupt the position; the result says whether it was booked.
    @discardableResult
    public mutating func apply(_ fill: Fill) -> Bool {
        apply(side: fill.side, price: fill.price, qty: fill.qty, fee: fill.fee)
    }

    /// Books a fill given by its numbers, so the venue need not build a `Fill` to book one.
    @discardableResult
    mutating func apply(side: Side, price: Price, qty: Quantity, fee: Money) -> Bool {
        guard qty.isPositive, price.isPositive, !fee.isNegative, let next = try? booked(side: side, price: price, qty: qty, fee: fee)
        else { return false }
        // Only the numbers change: assigning them field by field leaves the name strings alone.
        (base, quote, averageEntryPrice, realizedPnl, feesPaid) = next
        return true
    }

    /// The numbers after the fill, or an overflow; the position itself is not touched.
    private func booked(
        side: Side, price: Price, qty: Quantity, fee: Money
    ) throws(FixedPointError) -> (Quantity, Money, Price, Money, Money) {
        let held = base.magnitude
        let extends = base.isZero || (base.isPositive == (side == .buy))
        let notional = try price.notional(qty)
        var average = averageEntryPrice, realized = realizedPnl
        if extends {
            let cost = try averageEntryPrice.notional(held, .toNearestOrEven).adding(notional)
            average = try cost.perUnit(try held.adding(qty), .toNearestOrEven)
        } else {
            let reduced = min(qty, held)
            let pnl = try price.subtracting(averageEntryPrice).notional(reduced)
            realized = try realizedPnl.adding(base.isPositive ? pnl : -pnl)
            // Crossing through zero: what is left over is a fresh position opened here.
            if qty > held { average = price }
        }
        let newBase = side == .buy ? try base.adding(qty) : try base.subtracting(qty)
        if newBase.isZero { average = 0 }
        let newQuote: Money
        switch side {
        case .buy: newQuote = try quote.subtracting(try notional.adding(fee))
        case .sell: newQuote = try quote.adding(try notional.subtracting(fee))
        }
        return (newBase, newQuote, average, realized, try feesPaid.adding(fee))
    }

    /// Paper profit of the open position at `mark`: (mark − average entry) × base, rounded
    /// to the nearest 10⁻⁸; nil past the range.
    public func unrealizedPnl(mark: Price) -> Money? {
        guard let perUnit = try? mark.subtracting(averageEntryPrice) else { return nil }
        return try? perUnit.notional(base)
    }

    /// Liquidation value in quote at `mark`: quote + base × mark; nil past the range.
    public func totalValue(mark: Price) -> Money? {
        guard let held = try? mark.notional(base) else { return nil }
        return try? quote.adding(held)
    }
}
