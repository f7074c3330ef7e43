/// Turns a stream of fills in one symbol into closed trades, matching each closing fill
/// against the oldest open lots first (FIFO).
///
/// A closing fill larger than what is open closes it all and opens the remainder on the
/// other side (a flip). Fees are shared out by quantity: a closed trade carries the
/// matched share of its lot's entry fee and of the closing fill's fee, so the fees of all
/// closed trades plus those still on open lots always add up to the fees paid.
public struct FifoTradeMatcher: Sendable, Hashable, Codable {
    /// A still-open part of an opening fill.
    public struct Lot: Sendable, Hashable, Codable {
        /// `.buy` for a long lot, `.sell` for a short one.
        public var side: Side
        /// Base units still open.
        public var qty: Double
        /// Entry price, quote per base unit.
        public var price: Double
        /// The share of the entry fee not yet charged to a closed trade, in quote.
        public var fee: Double
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
    public var netQty: Double { lots.reduce(0) { $0 + $1.side.sign * $1.qty } }

    /// Books one fill and returns the trades it closed, oldest lot first. Fills are
    /// expected in time order; holding times are exit − entry as given. Throws
    /// `invalidQuantity`, `invalidPrice` or `invalidFee` for an unusable fill and leaves
    /// the matcher unchanged.
    public mutating func apply(
        side: Side, qty: Double, price: Double, fee: Double, timeMicros: Int64
    ) throws(TradingError) -> [ClosedTrade] {
        guard qty.isFinite, qty > 0 else { throw TradingError(.invalidQuantity, "fill quantity must be positive and finite, got \(qty)") }
        guard Indicators.isPrice(price) else { throw TradingError(.invalidPrice, "fill price must be positive and finite, got \(price)") }
        guard fee.isFinite else { throw TradingError(.invalidFee, "fill fee must be finite, got \(fee)") }
        var remaining = qty
        var closed: [ClosedTrade] = []
        while remaining > 0, let oldest = lots.first, oldest.side != side {
            let matched = min(remaining, oldest.qty)
            let entryFee = oldest.fee * matched / oldest.qty
            closed.append(ClosedTrade(
                symbol: symbol, side: oldest.side, qty: matched, entryPrice: oldest.price, exitPrice: price,
                fees: entryFee + fee * matched / qty, entryTimeMicros: oldest.timeMicros, exitTimeMicros: timeMicros))
            let left = Self.withoutDust(oldest.qty - matched, scale: oldest.qty)
            if left == 0 {
                lots.removeFirst()
            } else {
                lots[0].qty = left
                lots[0].fee -= entryFee
            }
            remaining = Self.withoutDust(remaining - matched, scale: qty)
        }
        if remaining > 0 {
            lots.append(Lot(side: side, qty: remaining, price: price, fee: fee * remaining / qty, timeMicros: timeMicros))
        }
        return closed
    }

    /// Books a venue `Fill`; throws `unknownSymbol` when it is for another symbol.
    public mutating func apply(_ fill: Fill) throws(TradingError) -> [ClosedTrade] {
        guard symbol.isEmpty || fill.symbol == symbol else {
            throw TradingError(.unknownSymbol, "fill for \(fill.symbol) given to the \(symbol) matcher")
        }
        return try apply(side: fill.side, qty: fill.qty, price: fill.price, fee: fill.fee, timeMicros: fill.timestampMicros)
    }

    /// Closing exactly what was opened (0.1 + 0.2 − 0.3) leaves ~1e-17 behind; that is a
    /// closed lot, not a sliver that would turn the next fill into a flip.
    private static func withoutDust(_ value: Double, scale: Double) -> Double {
        abs(value) <= scale * 1e-12 ? 0 : value
    }
}
