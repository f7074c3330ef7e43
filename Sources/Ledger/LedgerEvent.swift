import Trading

/// One row of the ledger's history: a fill, or an order the venue refused.
///
/// `base` and `quote` are the account's balances of the symbol's base and quote asset right
/// after the event, which is what the inventory-log CSV calls base_inventory and
/// quote_inventory.
public struct LedgerEvent: Sendable, Hashable {
    /// Fill or rejection; the raw value is the CSV's event_type.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case fill
        case reject
    }

    /// Fill or rejection.
    public var kind: Kind
    /// When it happened, microseconds since the Unix epoch.
    public var timestampMicros: Int64
    /// Venue order id.
    public var orderId: String
    /// The client's id.
    public var clientOrderId: String
    /// Account.
    public var account: String
    /// Symbol.
    public var symbol: String
    /// Buy or sell.
    public var side: Side
    /// A fill's price; for a rejection the limit price, or for a market order the touch
    /// it faced (ask for a buy, bid for a sell). Nil when there was none.
    public var price: Price?
    /// Filled quantity, or the quantity the rejected order asked for.
    public var qty: Quantity
    /// Fee paid; 0 for a rejection.
    public var fee: Money
    /// Base held after the event; nil when the venue has no such account or symbol.
    public var base: Quantity?
    /// Quote held after the event; nil when the venue has no such account or symbol.
    public var quote: Money?
    /// A rejection's machine-readable code, e.g. "insufficient_quote".
    public var reasonCode: String?
    /// A rejection's message.
    public var reason: String?

    /// Creates an event.
    public init(
        kind: Kind, timestampMicros: Int64, orderId: String, clientOrderId: String, account: String,
        symbol: String, side: Side, price: Price?, qty: Quantity, fee: Money, base: Quantity?, quote: Money?,
        reasonCode: String? = nil, reason: String? = nil
    ) {
        self.kind = kind
        self.timestampMicros = timestampMicros
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.account = account
        self.symbol = symbol
        self.side = side
        self.price = price
        self.qty = qty
        self.fee = fee
        self.base = base
        self.quote = quote
        self.reasonCode = reasonCode
        self.reason = reason
    }

    /// A fill, with the balances of the symbol's two assets it left behind.
    public init(fill: Fill, after holdings: Balance) {
        self.init(kind: .fill, timestampMicros: fill.timestampMicros, orderId: fill.orderId,
                  clientOrderId: fill.clientOrderId, account: fill.account, symbol: fill.symbol, side: fill.side,
                  price: fill.price, qty: fill.qty, fee: fill.fee, base: holdings.base, quote: holdings.quote)
    }

    /// A rejected order, priced at `price`, with the (unchanged) balances of its account.
    public init(rejected result: OrderResult, price: Price?, holdings: Balance?, at timestampMicros: Int64) {
        self.init(kind: .reject, timestampMicros: timestampMicros, orderId: result.orderId,
                  clientOrderId: result.clientOrderId, account: result.account, symbol: result.symbol,
                  side: result.side, price: price, qty: result.requestedQty, fee: 0,
                  base: holdings?.base, quote: holdings?.quote,
                  reasonCode: result.rejection?.code.rawValue, reason: result.rejection?.message)
    }

    /// quote + base × price (rounded to the nearest 10⁻⁸), the CSV's total_value; nil when
    /// any of the three is missing or the sum is out of range.
    public var totalValue: Money? {
        guard let price, let base, let quote, let held = try? price.notional(base) else { return nil }
        return try? quote.adding(held)
    }
}
