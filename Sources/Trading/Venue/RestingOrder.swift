/// A limit order waiting on the venue's book for a quote that crosses it. Not Codable: it
/// carries venue-internal bookkeeping; map the public fields for the wire.
public struct RestingOrder: Sendable, Hashable {
    /// Venue order id.
    public var orderId: String
    /// The client's id.
    public var clientOrderId: String
    /// Owning account.
    public var account: String
    /// Symbol.
    public var symbol: String
    /// Buy or sell.
    public var side: Side
    /// Quantity asked for, in base units.
    public var qty: Quantity
    /// Quantity already filled by earlier quote updates, in base units.
    public var filledQty: Quantity = 0
    /// Limit price in quote per base unit; the order fills at exactly this price.
    public var limitPrice: Price
    /// Quote currency still set aside for a buy (limit × unfilled qty + maker fee); 0 for a sell.
    public var reservedQuote: Money
    /// When it was submitted, microseconds since the Unix epoch.
    public var submittedAtMicros: Int64
    /// Submission number; orders at the same price fill oldest first.
    var sequence: Int
    /// The venue's position slot of (account, symbol), so fills skip the name lookups.
    var positionSlot: Int

    /// Quantity still to fill, in base units.
    public var remainingQty: Quantity { qty - filledQty }

    /// Open until the first partial fill, then partially filled until done.
    public var status: OrderStatus { filledQty.isPositive ? .partiallyFilled : .open }
}
