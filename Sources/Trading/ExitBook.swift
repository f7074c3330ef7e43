/// One execution as the exit bookkeeping needs it.
public struct Execution: Sendable, Hashable {
    public var side: Side
    public var qty: Double
    public var price: Double
    /// Fee paid, in quote.
    public var fee: Double

    /// Creates an execution.
    public init(side: Side, qty: Double, price: Double, fee: Double) {
        self.side = side
        self.qty = qty
        self.price = price
        self.fee = fee
    }
}

/// A position opened by a signal and watched for its exits.
public struct WatchedPosition: Sendable, Hashable {
    /// The signal that opened it, and that signal's trace.
    public let openingSignalId: String
    public let openingTraceId: String
    public let symbol: String
    public let account: String
    /// The stop, targets and time stop still armed.
    public internal(set) var tracker: ExitTracker
    /// Pairs the entry fills with the exit fills into closed trades.
    public internal(set) var matcher: FifoTradeMatcher
    /// Venue rejections so far per exit kind; each gets a fresh client order id.
    public internal(set) var rejections: [String: Int] = [:]

    /// Base units of the open lots.
    public var openQty: Double { matcher.lots.reduce(0) { $0 + $1.qty } }

    /// Volume-weighted entry of the open lots; 0 when none is open.
    public var entryPrice: Double {
        let qty = openQty
        return qty > 0 ? matcher.lots.reduce(0) { $0 + $1.qty * $1.price } / qty : 0
    }
}

/// An exit that has come due, with what its cycle needs to know about the position.
public struct DueExit: Sendable, Hashable {
    public let openingSignalId: String
    public let openingTraceId: String
    public let symbol: String
    public let account: String
    public let action: ExitAction
    /// `stop`, `tp1`, `tp2`… or `time`: which of the position's exits this is.
    public let kind: String
    /// 1, then one more after each venue rejection of this exit.
    public let attempt: Int
}

/// The positions a desk opened, each with seed 004's exit rules (stop, scale-out targets,
/// time stop), and the trades their exits close. A value type: the same entries, touches and
/// outcomes always give the same exits.
public struct ExitBook: Sendable {
    /// Venue rejections of one exit after which it is no longer retried.
    public static let maxRejections = 3

    private var positions: [String: WatchedPosition] = [:]
    /// The latest touch per symbol, so exits can be checked between ticks (a time stop must
    /// fire in a quiet market too).
    private var touches: [String: (bid: Double, ask: Double)] = [:]
    private let maxHoldingMicros: Int64?

    /// An empty book whose positions are closed after `maxHoldingMicros`, if given.
    public init(maxHoldingMicros: Int64?) {
        self.maxHoldingMicros = maxHoldingMicros
    }

    /// Starts watching what an entry filled: `fills` at `now`, with the plan's stop and its
    /// targets, which were sized for `plannedQty` and exit the same fractions of what
    /// filled (the last taking exactly the rest). Throws when the fills or the plan cannot
    /// be tracked.
    public mutating func open(
        signalId: String, traceId: String, symbol: String, account: String, fills: [Execution],
        stopPrice: Double, targets planned: [PlannedTarget], plannedQty: Double, at now: Int64
    ) throws(TradingError) {
        var matcher = FifoTradeMatcher(symbol: symbol)
        for fill in fills { _ = try matcher.apply(side: fill.side, qty: fill.qty, price: fill.price, fee: fill.fee, timeMicros: now) }
        let filled = matcher.lots.reduce(0) { $0 + $1.qty }
        guard let side = matcher.lots.first?.side, filled > 0 else {
            throw TradingError(.invalidQuantity, "the entry of \(signalId) filled nothing to watch")
        }
        let factor = plannedQty > 0 ? filled / plannedQty : 0
        var targets = planned.map { target in
            var scaled = target
            scaled.qty = target.qty * factor
            return scaled
        }
        let coveredAll = abs(planned.reduce(0) { $0 + $1.qty } - plannedQty) <= plannedQty * 1e-9
        if coveredAll, let last = targets.indices.last {
            targets[last].qty = max(0, filled - targets.dropLast().reduce(0) { $0 + $1.qty })
        }
        guard let tracker = ExitTracker(side: side, qty: filled, stopPrice: stopPrice, targets: targets,
                                        entryTimeMicros: now, maxHoldingMicros: maxHoldingMicros) else {
            throw TradingError(.invalidPrice, "stop \(stopPrice) and \(targets.count) target(s) cannot be tracked for \(filled) \(symbol)")
        }
        positions[signalId] = WatchedPosition(openingSignalId: signalId, openingTraceId: traceId, symbol: symbol,
                                              account: account, tracker: tracker, matcher: matcher)
    }

    /// The exits due for `symbol` at this touch (longs judged at the bid, shorts at the ask:
    /// the prices they would close at), oldest position first; each is recorded as sent.
    public mutating func evaluate(symbol: String, bid: Double, ask: Double, at now: Int64) -> [DueExit] {
        touches[symbol] = (bid, ask)
        var due: [DueExit] = []
        for id in positions.keys.sorted() {
            guard var position = positions[id], position.symbol == symbol else { continue }
            let price = position.tracker.side == .buy ? bid : ask
            for action in position.tracker.evaluate(price: price, timeMicros: now) {
                let kind = Self.kind(of: action)
                due.append(DueExit(openingSignalId: id, openingTraceId: position.openingTraceId, symbol: symbol,
                                   account: position.account, action: action, kind: kind,
                                   attempt: (position.rejections[kind] ?? 0) + 1))
            }
            positions[id] = position
        }
        return due
    }

    /// The exits due at the latest touch of every symbol with a position open.
    public mutating func reevaluate(at now: Int64) -> [DueExit] {
        Set(positions.values.map(\.symbol)).sorted().flatMap { symbol -> [DueExit] in
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
        positions[exit.openingSignalId] = position.tracker.isClosed && position.matcher.lots.isEmpty ? nil : position
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

    private static func kind(of action: ExitAction) -> String {
        switch action.reason {
        case .stopLoss: "stop"
        case .takeProfit: "tp\((action.targetIndex ?? 0) + 1)"
        case .timeStop: "time"
        }
    }
}
