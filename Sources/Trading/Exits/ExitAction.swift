/// Why part or all of a position should be closed.
public enum ExitReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Price reached the protective stop: close everything left.
    case stopLoss = "stop_loss"
    /// Price reached a take-profit target: close that target's quantity.
    case takeProfit = "take_profit"
    /// The position has been held for the maximum duration: close everything left.
    case timeStop = "time_stop"
}

/// One exit `ExitTracker` says is due.
public struct ExitAction: Sendable, Hashable, Codable {
    /// Why.
    public var reason: ExitReason
    /// Base units to close, positive.
    public var qty: Quantity
    /// Side of the closing order: the opposite of the position's.
    public var side: Side
    /// The level that triggered: the stop, the target price, or for a time stop the
    /// observed price.
    public var triggerPrice: Price
    /// The price observed when the exit became due.
    public var observedPrice: Price
    /// Index into the plan's targets, for a take-profit; nil otherwise.
    public var targetIndex: Int?
    /// Base units still open once this exit is done.
    public var remainingAfter: Quantity

    /// Creates an action.
    public init(
        reason: ExitReason, qty: Quantity, side: Side, triggerPrice: Price, observedPrice: Price,
        targetIndex: Int? = nil, remainingAfter: Quantity
    ) {
        self.reason = reason
        self.qty = qty
        self.side = side
        self.triggerPrice = triggerPrice
        self.observedPrice = observedPrice
        self.targetIndex = targetIndex
        self.remainingAfter = remainingAfter
    }
}
