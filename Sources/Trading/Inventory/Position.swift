/// Holdings and performance of one account in one symbol.
///
/// `quote` is cash in quote currency; `base` is units of the traded asset, negative only
/// for accounts allowed to short.
public struct Position: Sendable, Hashable, Codable {
    /// Owning account.
    public var account: String
    /// Symbol held.
    public var symbol: String
    /// Base units held; negative is a short.
    public var base: Double
    /// Quote currency held.
    public var quote: Double
    /// Quantity-weighted entry price of the current `base` (0 when flat).
    public var averageEntryPrice: Double
    /// Profit locked in by reducing the position, in quote, before fees.
    public var realizedPnl: Double
    /// Fees paid so far, in quote.
    public var feesPaid: Double

    /// Creates a position; with `base` ≠ 0 pass the price it was acquired at.
    public init(
        account: String, symbol: String, base: Double = 0, quote: Double = 0,
        averageEntryPrice: Double = 0, realizedPnl: Double = 0, feesPaid: Double = 0
    ) {
        self.account = account
        self.symbol = symbol
        self.base = base
        self.quote = quote
        self.averageEntryPrice = averageEntryPrice
        self.realizedPnl = realizedPnl
        self.feesPaid = feesPaid
    }

    /// Books a fill. A fill with a non-finite or non-positive price or quantity, or a
    /// non-finite fee, is ignored so one bad record cannot poison the position with NaN.
    public mutating func apply(_ fill: Fill) {
        apply(side: fill.side, price: fill.price, qty: fill.qty, fee: fill.fee)
    }

    /// Books a fill given by its numbers, so the venue need not build a `Fill` to book one.
    mutating func apply(side: Side, price: Double, qty: Double, fee: Double) {
        guard qty.isFinite, qty > 0, price.isFinite, price > 0, fee.isFinite else { return }
        let previous = base
        let held = abs(previous)
        let extends = previous == 0 || (previous > 0) == (side == .buy)
        if extends {
            averageEntryPrice = (averageEntryPrice * held + price * qty) / (held + qty)
        } else {
            let reduced = min(qty, held)
            let direction: Double = previous > 0 ? 1 : -1
            realizedPnl += (price - averageEntryPrice) * reduced * direction
            // Crossing through zero: what is left over is a fresh position opened here.
            if qty > held { averageEntryPrice = price }
        }
        base = Self.withoutDust(previous + side.sign * qty, scale: max(held, qty))
        if base == 0 { averageEntryPrice = 0 }
        let notional = price * qty
        let newQuote: Double
        switch side {
        case .buy: newQuote = quote - (notional + fee)
        case .sell: newQuote = quote + (notional - fee)
        }
        quote = Self.withoutDust(newQuote, scale: max(abs(quote), notional))
        feesPaid += fee
    }

    /// Paper profit of the open position at `mark`: (mark − average entry) × base.
    public func unrealizedPnl(mark: Double) -> Double {
        base == 0 ? 0 : (mark - averageEntryPrice) * base
    }

    /// Liquidation value in quote at `mark`: quote + base × mark.
    public func totalValue(mark: Double) -> Double {
        quote + base * mark
    }

    /// Selling exactly what was bought (0.1 + 0.2 − 0.3) leaves ~1e-17 behind; such
    /// residue is a closed position, not a tiny short that blocks the next sell. Spending
    /// exactly the quote in hand is treated the same way.
    private static func withoutDust(_ value: Double, scale: Double) -> Double {
        abs(value) <= scale * 1e-12 ? 0 : value
    }
}
