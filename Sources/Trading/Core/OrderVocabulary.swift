/// The side of an order, a signal or a fill.
public enum Side: String, Sendable, Codable, Hashable, CaseIterable {
    case buy
    case sell

    /// The side that offsets this one (buy ↔ sell).
    public var opposite: Side { self == .buy ? .sell : .buy }

    /// +1 for a buy, −1 for a sell: the sign a fill of this side adds to a position.
    public var sign: Double { self == .buy ? 1 : -1 }
}

/// How an order is priced.
public enum OrderType: String, Sendable, Codable, Hashable, CaseIterable {
    /// Fills at once against the touch.
    case market
    /// Fills at its limit price or better; rests when not marketable.
    case limit
}

/// Where an order stands after the venue has handled it.
public enum OrderStatus: String, Sendable, Codable, Hashable, CaseIterable {
    case filled
    case partiallyFilled = "partially_filled"
    case open
    case rejected
    case cancelled
}
