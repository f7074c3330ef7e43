/// The exit rules of one open position: hard stop, scale-out take-profits (each once) and
/// a time stop. A value type: each `evaluate` returns the exits due and records them, so
/// the same sequence of prices and times always gives the same actions.
public struct ExitTracker: Sendable, Hashable, Codable {
    /// `.buy` for a long, `.sell` for a short.
    public let side: Side
    /// Protective stop; may be moved (e.g. to break-even) between evaluations.
    public var stopPrice: Price
    /// Scale-out targets, nearest first.
    public let targets: [PlannedTarget]
    /// When the position was opened, microseconds since the Unix epoch.
    public let entryTimeMicros: Int64
    /// Longest holding period before the time stop; nil for none.
    public let maxHoldingMicros: Int64?
    /// Base units still open.
    public private(set) var remainingQty: Quantity
    /// Whether each target has already been exited.
    public private(set) var targetsHit: [Bool]

    /// Tracks a position of `qty` opened at `entryTimeMicros`. Nil when the quantity is not
    /// positive, a price is not positive, a target quantity is negative, the
    /// targets add up to more than `qty`, or `maxHoldingMicros` is not positive.
    public init?(
        side: Side, qty: Quantity, stopPrice: Price, targets: [PlannedTarget], entryTimeMicros: Int64,
        maxHoldingMicros: Int64? = nil
    ) {
        guard qty.isPositive, stopPrice.isPositive,
              targets.allSatisfy({ $0.price.isPositive && !$0.qty.isNegative && $0.qty <= qty }),
              (try? targets.reduce(Quantity.zero, { try $0.adding($1.qty) })).map({ $0 <= qty }) == true,
              (maxHoldingMicros ?? 1) > 0 else { return nil }
        self.side = side
        self.stopPrice = stopPrice
        self.targets = targets
        self.entryTimeMicros = entryTimeMicros
        self.maxHoldingMicros = maxHoldingMicros
        self.remainingQty = qty
        self.targetsHit = Array(repeating: false, count: targets.count)
    }

    /// Tracks the position an approved `plan` opens.
    public init?(plan: TradePlan, entryTimeMicros: Int64, maxHoldingMicros: Int64? = nil) {
        self.init(side: plan.side, qty: plan.qty, stopPrice: plan.stopPrice, targets: plan.targets,
                  entryTimeMicros: entryTimeMicros, maxHoldingMicros: maxHoldingMicros)
    }

    /// True once nothing is left open.
    public var isClosed: Bool { remainingQty.isZero }

    /// The exits due at `price` observed at `timeMicros`, in the order to execute them,
    /// and records them. A stop hit closes everything left and nothing else is checked;
    /// otherwise every target reached and not yet exited is taken, nearest first — a gap
    /// through several targets takes them all at once — and then, past the holding
    /// limit, the time stop closes the rest. Empty when closed or when `price` is not
    /// positive, since a bad print must not trigger a stop. Prices compare exactly: a touch
    /// at the stop or at a target triggers it.
    public mutating func evaluate(price: Price, timeMicros: Int64) -> [ExitAction] {
        guard !isClosed, price.isPositive else { return [] }
        if side == .buy ? price <= stopPrice : price >= stopPrice {
            return [closeRest(.stopLoss, trigger: stopPrice, observed: price)]
        }
        var actions: [ExitAction] = []
        for index in targets.indices where !targetsHit[index] && remainingQty.isPositive {
            let target = targets[index]
            guard side == .buy ? price >= target.price : price <= target.price else { continue }
            targetsHit[index] = true
            let qty = min(target.qty, remainingQty)
            guard qty.isPositive else { continue }
            remainingQty -= qty
            actions.append(ExitAction(reason: .takeProfit, qty: qty, side: side.opposite, triggerPrice: target.price,
                                      observedPrice: price, targetIndex: index, remainingAfter: remainingQty))
        }
        // Subtracting through Int64 could overflow for extreme times; Double cannot.
        if let limit = maxHoldingMicros, remainingQty.isPositive,
           Double(timeMicros) - Double(entryTimeMicros) >= Double(limit) {
            actions.append(closeRest(.timeStop, trigger: price, observed: price))
        }
        return actions
    }

    /// Undoes `action` after its order failed, so the exit is due again at the next
    /// evaluation: its quantity is open again and its target, if any, not yet taken.
    public mutating func rearm(_ action: ExitAction) {
        guard action.qty.isPositive, let reopened = try? remainingQty.adding(action.qty) else { return }
        remainingQty = reopened
        if let index = action.targetIndex, targetsHit.indices.contains(index) { targetsHit[index] = false }
    }

    /// Takes `qty` off what is open because an opposite entry closed it at the venue (netting),
    /// not an exit of this tracker's: targets still cap their exits at what remains.
    public mutating func offset(_ qty: Quantity) {
        guard qty.isPositive else { return }
        remainingQty = max(0, remainingQty - qty)
    }

    private mutating func closeRest(_ reason: ExitReason, trigger: Price, observed: Price) -> ExitAction {
        let qty = remainingQty
        remainingQty = 0
        return ExitAction(reason: reason, qty: qty, side: side.opposite, triggerPrice: trigger,
                          observedPrice: observed, remainingAfter: 0)
    }
}
