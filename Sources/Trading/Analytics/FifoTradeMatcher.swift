/// Turns a stream of fills in one symbol into closed trades, matching each closing fill
/// against the oldest open lots first (FIFO).
///
/// A closing fill larger than what is open closes it all and opens the remainder on the
/// other side (a flip). Fees are shared out by quantity: a closed trade carries the
/// matched share of its lot's entry fee and of the closing fill's fee, each share rounded
/// to the nearest 10⁻⁸ and the last part of a fee or lot taking exactly what is left, so
/// the fees of all closed trades plus those still on open lots add up to the fees paid
/// exactly.
public struct FifoTradeMatcher: Sendable, Hashable, Codable {
    /// A still-open part of an opening fill.
    public struct Lot: Sendable, Hashable, Codable {
        /// `.buy` for a long lot, `.sell` for a short one.
        public var side: Side
        /// Base units still open.
        public var qty: Quantity
        /// Entry price, quote per base unit.
        public var price: Price
        /// The share of the entry fee not yet charged to a closed trade, in quote.
        public var fee: Money
        /// Entry time, microseconds since the Unix epoch.
        public var timeMicros: Int64
    }

    /// Symbol matched; fills for any other symbol are refused. Empty accepts any fill and
    /// labels trades with no symbol.
    public let symbol: String
    /// Open lots, oldest first; all on the same side.
    public private(set) var lots: [Lot] = []

    /// Creates an empty matcher for `symbol`.
    public init(symbol: String = "") {
        self.symbol = symbol
    }

    /// Signed open quantity: positive long, negative short.
    public var netQty: Quantity { lots.reduce(Quantity.zero) { $1.side == .buy ? $0 + $1.qty : $0 - $1.qty } }

    /// Books one fill and returns the trades it closed, oldest lot first. Fills are
    /// expected in time order; holding times are exit − entry as given. Throws
    /// `invalidQuantity`, `invalidPrice` or `invalidFee` for an unusable fill and leaves
    /// the matcher unchanged.
    public mutating func apply(
        side: Side, qty: Quantity, price: Price, fee: Money, timeMicros: Int64
    ) throws(TradingError) -> [ClosedTrade] {
        guard qty.isPositive else { throw TradingError(.invalidQuantity, "fill quantity must be positive, got \(qty)") }
        guard price.isPositive else { throw TradingError(.invalidPrice, "fill price must be positive, got \(price)") }
        guard !fee.isNegative, (try? price.notional(qty)) != nil else {
            throw TradingError(.invalidFee, "fill fee must not be negative and the notional must be in range, got fee \(fee)")
        }
        var next = lots
        var remaining = qty
        var feeLeft = fee
        var closed: [ClosedTrade] = []
        while remaining.isPositive, let oldest = next.first, oldest.side != side {
            let matched = min(remaining, oldest.qty)
            let entryFee = matched == oldest.qty ? oldest.fee : Self.share(oldest.fee, matched, of: oldest.qty)
            let exitFee = matched == remaining ? feeLeft : Self.share(fee, matched, of: qty)
            feeLeft -= exitFee
            closed.append(ClosedTrade(
                symbol: symbol, side: oldest.side, qty: matched, entryPrice: oldest.price, exitPrice: price,
                fees: entryFee + exitFee, entryTimeMicros: oldest.timeMicros, exitTimeMicros: timeMicros))
            if matched == oldest.qty {
                next.removeFirst()
            } else {
                next[0].qty -= matched
                next[0].fee -= entryFee
            }
            remaining -= matched
        }
        if remaining.isPositive {
            next.append(Lot(side: side, qty: remaining, price: price, fee: feeLeft, timeMicros: timeMicros))
        }
        lots = next
        return closed
    }

    /// `fee` × part ÷ whole, rounded to the nearest 10⁻⁸; part ≤ whole, so it cannot overflow.
    private static func share(_ fee: Money, _ part: Quantity, of whole: Quantity) -> Money {
        (try? fee.scaled(by: part.raw, over: whole.raw, .toNearestOrAwayFromZero)) ?? fee
    }

    /// Books a venue `Fill`; throws `unknownSymbol` when it is for another symbol.
    public mutating func apply(_ fill: Fill) throws(TradingError) -> [ClosedTrade] {
        guard symbol.isEmpty || fill.symbol == symbol else {
            throw TradingError(.unknownSymbol, "fill for \(fill.symbol) given to the \(symbol) matcher")
        }
        return try apply(side: fill.side, qty: fill.qty, price: fill.price, fee: fill.fee, timeMicros: fill.timestampMicros)
    }

    /// Σ qty × price ÷ Σ qty of `lots`, rounded to the nearest 10⁻⁸; nil for no lots or
    /// out of range.
    public static func averagePrice(of lots: [Lot]) -> Price? {
        var qty = Quantity.zero, cost = Money.zero
        for lot in lots {
            guard let next = try? qty.adding(lot.qty), let notional = try? lot.price.notional(lot.qty, .toNearestOrEven),
                  let total = try? cost.adding(notional) else { return nil }
            qty = next
            cost = total
        }
        guard qty.isPositive else { return nil }
        return try? cost.perUnit(qty)
    }
}
