/// One execution as the exit bookkeeping needs it.
public struct Execution: Sendable, Hashable {
    /// Buy or sell.
    public var side: Side
    /// Executed quantity, in base units.
    public var qty: Quantity
    /// Execution price, in quote per base unit.
    public var price: Price
    /// Fee paid, in quote.
    public var fee: Money

    /// Creates an execution.
    public init(side: Side, qty: Quantity, price: Price, fee: Money) {
        self.side = side
        self.qty = qty
        self.price = price
        self.fee = fee
    }
}

/// A position opened by a signal and watched for its exits.
public struct WatchedPosition: Sendable, Hashable, Codable {
    /// The signal that opened it.
    public let openingSignalId: String
    /// That signal's trace.
    public let openingTraceId: String
    /// Symbol held.
    public let symbol: String
    /// Account holding it.
    public let account: String
    /// The stop, targets and time stop still armed.
    public internal(set) var tracker: ExitTracker
    /// Pairs the entry fills with the exit fills into closed trades.
    public internal(set) var matcher: FifoTradeMatcher
    /// Venue rejections so far per exit kind; each gets a fresh client order id.
    public internal(set) var rejections: [String: Int] = [:]

    /// Base units of the open lots.
    public var openQty: Quantity { matcher.lots.reduce(Quantity.zero) { $0 + $1.qty } }

    /// Volume-weighted entry of the open lots, rounded to the nearest 10⁻⁸; 0 when none is open.
    public var entryPrice: Price { FifoTradeMatcher.averagePrice(of: matcher.lots) ?? 0 }
}

/// An exit that has come due, with what its cycle needs to know about the position.
public struct DueExit: Sendable, Hashable, Codable {
    /// The signal that opened the position.
    public let openingSignalId: String
    /// That signal's trace, the parent of the exit's own.
    public let openingTraceId: String
    /// Symbol to close.
    public let symbol: String
    /// Account holding the position.
    public let account: String
    /// What to close, on which side, and why.
    public let action: ExitAction
    /// `stop`, `tp1`, `tp2`… or `time`: which of the position's exits this is.
    public let kind: String
    /// 1, then one more after each venue rejection of this exit.
    public let attempt: Int
}

/// Trades an entry closed by offsetting an opposite position of the same account and symbol
/// (the venue nets the two), with the signal that had opened that position.
public struct OffsetTrades: Sendable, Hashable {
    /// The signal that opened the position the entry closed (part of).
    public let openingSignalId: String
    /// The round trips the offset closed, FIFO against that position's entry lots.
    public let trades: [ClosedTrade]
}

/// The positions a desk opened, each with its exit rules (stop, scale-out targets,
/// time stop), and the trades their exits close. A value type: the same entries, touches and
/// outcomes always give the same exits.
///
/// Positions are netted as the venue nets them: an entry on the other side of positions the
/// account holds in that symbol first closes them, oldest first, and only what is left of it
/// is watched as a new position. So the book never watches a long and a short of one account
/// in one symbol at once, and never holds more than the venue does.
public struct ExitBook: Sendable {
    /// Venue rejections of one exit after which it is no longer retried.
    public static let maxRejections = 3

    private var positions: [String: WatchedPosition] = [:]
    /// Ids of each symbol's positions in the order they were opened: a tick looks at its own
    /// symbol's positions only.
    private var opened: [String: [String]] = [:]
    /// The latest touch per symbol, so exits can be checked between ticks (a time stop must
    /// fire in a quiet market too).
    private var touches: [String: (bid: Price, ask: Price)] = [:]
    private let maxHoldingMicros: Int64?

    /// An empty book whose positions are closed after `maxHoldingMicros`, if given.
    public init(maxHoldingMicros: Int64?) {
        self.maxHoldingMicros = maxHoldingMicros
    }

    /// Books what an entry filled: `fills` at `now` first close opposite positions of the same
    /// account and symbol, oldest first (returned as trades per position), and what is left is
    /// watched with the plan's stop and its targets, which were sized for `plannedQty` and exit
    /// the same fractions of what is left (the last taking exactly the rest). Throws when the
    /// fills or the plan cannot be tracked; then nothing is changed.
    @discardableResult
    public mutating func open(
        signalId: String, traceId: String, symbol: String, account: String, fills: [Execution],
        stopPrice: Price, targets planned: [PlannedTarget], plannedQty: Quantity, at now: Int64
    ) throws(TradingError) -> [OffsetTrades] {
        var entry = FifoTradeMatcher(symbol: symbol)
        for fill in fills { _ = try entry.apply(side: fill.side, qty: fill.qty, price: fill.price, fee: fill.fee, timeMicros: now) }
        let filled = entry.lots.reduce(Quantity.zero) { $0 + $1.qty }
        guard let side = entry.lots.first?.side, filled.isPositive, let price = FifoTradeMatcher.averagePrice(of: entry.lots) else {
            throw TradingError(.invalidQuantity, "the entry of \(signalId) filled nothing to watch")
        }
        let fee = entry.lots.reduce(Money.zero) { $0 + $1.fee }
        // Checked before anything is offset, so a plan that cannot be tracked changes nothing.
        let probe = try Self.tracker(side: side, qty: filled, stopPrice: stopPrice, planned: planned, plannedQty: plannedQty,
                                     symbol: symbol, at: now, maxHoldingMicros: maxHoldingMicros)
        var left = filled
        var offsets: [OffsetTrades] = []
        var feeLeft = fee
        for id in opened[symbol, default: []] where left.isPositive {
            guard var position = positions[id], position.account == account, position.tracker.side == side.opposite else { continue }
            let qty = min(left, position.tracker.remainingQty)
            guard qty.isPositive else { continue }
            let share = qty == left ? feeLeft : ((try? fee.scaled(by: qty.raw, over: filled.raw, .toNearestOrAwayFromZero)) ?? 0)
            feeLeft -= share
            let trades = (try? position.matcher.apply(side: side, qty: qty, price: price, fee: share, timeMicros: now)) ?? []
            position.tracker.offset(qty)
            left -= qty
            offsets.append(OffsetTrades(openingSignalId: id, trades: trades))
            store(position, id: id)
        }
        guard left.isPositive else { return offsets }
        var matcher = FifoTradeMatcher(symbol: symbol)
        let tracker: ExitTracker
        if left == filled {
            matcher = entry
            tracker = probe
        } else {
            _ = try matcher.apply(side: side, qty: left, price: price, fee: feeLeft, timeMicros: now)
            tracker = try Self.tracker(side: side, qty: left, stopPrice: stopPrice, planned: planned,
                                       plannedQty: plannedQty, symbol: symbol, at: now, maxHoldingMicros: maxHoldingMicros)
        }
        store(WatchedPosition(openingSignalId: signalId, openingTraceId: traceId, symbol: symbol,
                              account: account, tracker: tracker, matcher: matcher), id: signalId)
        return offsets
    }

    /// The tracker of `qty` with the plan's targets scaled from `plannedQty` to it: each
    /// target but the last gets its share rounded down to 10⁻⁸, the last the rest when the
    /// targets covered the plan.
    private static func tracker(side: Side, qty: Quantity, stopPrice: Price, planned: [PlannedTarget], plannedQty: Quantity,
                                symbol: String, at now: Int64, maxHoldingMicros: Int64?) throws(TradingError) -> ExitTracker {
        var assigned = Quantity.zero
        let coveredAll = planned.reduce(Quantity.zero) { $0 + $1.qty } == plannedQty
        let targets = planned.enumerated().map { index, target in
            var scaled = target
            if coveredAll, index == planned.count - 1 {
                scaled.qty = max(0, qty - assigned)
            } else {
                let share = plannedQty.isPositive ? (try? target.qty.scaled(by: qty.raw, over: plannedQty.raw, .down)) ?? 0 : 0
                scaled.qty = min(share, max(0, qty - assigned))
            }
            assigned += scaled.qty
            return scaled
        }
        guard let tracker = ExitTracker(side: side, qty: qty, stopPrice: stopPrice, targets: targets,
                                        entryTimeMicros: now, maxHoldingMicros: maxHoldingMicros) else {
            throw TradingError(.invalidPrice, "stop \(stopPrice) and \(targets.count) target(s) cannot be tracked for \(qty) \(symbol)")
        }
        return tracker
    }

    /// Keeps `position` under `id`, or forgets it once nothing of it is open.
    private mutating func store(_ position: WatchedPosition, id: String) {
        if position.tracker.isClosed && position.matcher.lots.isEmpty {
            if positions.removeValue(forKey: id) != nil { opened[position.symbol]?.removeAll { $0 == id } }
            if opened[position.symbol]?.isEmpty == true { opened[position.symbol] = nil }
        } else {
            if positions.updateValue(position, forKey: id) == nil { opened[position.symbol, default: []].append(id) }
        }
    }

    /// The exits due for `symbol` at this touch (longs judged at the bid, shorts at the ask:
    /// the prices they would close at), oldest position first; each is recorded as sent.
    public mutating func evaluate(symbol: String, bid: Price, ask: Price, at now: Int64) -> [DueExit] {
        touches[symbol] = (bid, ask)
        guard let ids = opened[symbol] else { return [] }
        var due: [DueExit] = []
        for id in ids {
            // In place through the dictionary's values: one look-up of the id, no copy of the
            // position written back, and none of the optional subscript's take-out and put-back.
            guard let index = positions.index(forKey: id) else { continue }
            due += positions.values[index].exitsDue(id: id, symbol: symbol, bid: bid, ask: ask, at: now)
        }
        return due
    }

    /// The exits due at the latest touch of every symbol with a position open.
    public mutating func reevaluate(at now: Int64) -> [DueExit] {
        opened.keys.sorted().flatMap { symbol -> [DueExit] in
            guard let touch = touches[symbol] else { return [] }
            return evaluate(symbol: symbol, bid: touch.bid, ask: touch.ask, at: now)
        }
    }

    /// Books the fills of an exit and returns the trades they closed; forgets the position
    /// once nothing of it is open.
    public mutating func filled(_ exit: DueExit, fills: [Execution], at now: Int64) -> [ClosedTrade] {
        guard var position = positions[exit.openingSignalId] else { return [] }
        var closed: [ClosedTrade] = []
        for fill in fills {
            closed += (try? position.matcher.apply(side: fill.side, qty: fill.qty, price: fill.price, fee: fill.fee, timeMicros: now)) ?? []
        }
        store(position, id: exit.openingSignalId)
        return closed
    }

    /// Puts an exit whose order did not fill back in force, so the next evaluation retries
    /// it. A `definitive` failure (the venue rejected the order) counts towards
    /// `maxRejections`; past it the exit is dropped and false is returned.
    public mutating func failed(_ exit: DueExit, definitive: Bool) -> Bool {
        guard var position = positions[exit.openingSignalId] else { return false }
        if definitive {
            position.rejections[exit.kind, default: 0] += 1
            guard position.rejections[exit.kind, default: 0] < Self.maxRejections else {
                positions[exit.openingSignalId] = position
                return false
            }
        }
        position.tracker.rearm(exit.action)
        positions[exit.openingSignalId] = position
        return true
    }

    /// Watches `position` again as it was recorded (a restarted desk restoring its book), in
    /// place of any position opened by the same signal.
    public mutating func restore(_ position: WatchedPosition) {
        store(position, id: position.openingSignalId)
    }

    /// Stops watching the position opened by `openingSignalId` (the venue no longer holds it).
    public mutating func forget(_ openingSignalId: String) {
        guard let position = positions.removeValue(forKey: openingSignalId) else { return }
        opened[position.symbol]?.removeAll { $0 == openingSignalId }
        if opened[position.symbol]?.isEmpty == true { opened[position.symbol] = nil }
    }

    /// The position opened by `openingSignalId`, if it is watched.
    public func position(_ openingSignalId: String) -> WatchedPosition? { positions[openingSignalId] }

    /// Whether the position opened by `openingSignalId` is watched, without a copy of it.
    public func watches(_ openingSignalId: String) -> Bool { positions.index(forKey: openingSignalId) != nil }

    /// The watched positions, oldest first, optionally only `symbol`'s.
    public func watched(symbol: String? = nil) -> [WatchedPosition] {
        positions.values.filter { symbol == nil || $0.symbol == symbol }
            .sorted { ($0.tracker.entryTimeMicros, $0.openingSignalId) < ($1.tracker.entryTimeMicros, $1.openingSignalId) }
    }

    /// The open positions as the trade planner sees them, for a snapshot's portfolio heat.
    public var openTrades: [OpenTrade] {
        watched().compactMap { position in
            guard let side = position.matcher.lots.first?.side else { return nil }
            return OpenTrade(symbol: position.symbol, side: side, qty: position.openQty, entryPrice: position.entryPrice,
                             stopPrice: position.tracker.stopPrice)
        }
    }

    fileprivate static func kind(of action: ExitAction) -> String {
        switch action.reason {
        case .stopLoss: "stop"
        case .takeProfit: "tp\((action.targetIndex ?? 0) + 1)"
        case .timeStop: "time"
        }
    }
}

extension WatchedPosition {
    /// The exits due at this touch (a long judged at the bid, a short at the ask), recorded as
    /// sent, for `ExitBook.evaluate`.
    fileprivate mutating func exitsDue(id: String, symbol: String, bid: Price, ask: Price, at now: Int64) -> [DueExit] {
        tracker.evaluate(price: tracker.side == .buy ? bid : ask, timeMicros: now).map { action in
            let kind = ExitBook.kind(of: action)
            return DueExit(openingSignalId: id, openingTraceId: openingTraceId, symbol: symbol, account: account,
                           action: action, kind: kind, attempt: (rejections[kind] ?? 0) + 1)
        }
    }
}
