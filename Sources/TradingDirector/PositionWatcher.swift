import Trading
import WireProtocol

/// A position the director opened and is watching for its exits.
struct WatchedPosition: Sendable {
    /// The signal that opened it, and that signal's trace.
    let openingSignalId: String
    let openingTraceId: String
    let symbol: String
    let account: String
    var tracker: ExitTracker
    /// Pairs the entry fills with the exit fills into closed trades.
    var matcher: FifoTradeMatcher
    /// Venue rejections so far per exit kind; the next attempt gets a fresh client order id.
    var rejections: [String: Int] = [:]
}

/// An exit that has come due, with what its cycle needs to know about the position.
struct DueExit: Sendable {
    let openingSignalId: String
    let openingTraceId: String
    let symbol: String
    let account: String
    let action: ExitAction
    /// `stop`, `tp1`, `tp2`… or `time`: which of the position's exits this is.
    let kind: String
    /// 1, then one more after each venue rejection of this exit.
    let attempt: Int
}

/// Every position the director has open, each with seed 004's exit rules (stop, scale-out
/// targets, time stop) evaluated on every market tick.
actor PositionWatcher {
    private var positions: [String: WatchedPosition] = [:]
    /// The latest touch per symbol, so exits are checked between ticks too (a time stop
    /// must fire when the market is quiet).
    private var touches: [String: (bid: Double, ask: Double)] = [:]
    private let maxHoldingMicros: Int64?
    /// Venue rejections of one exit after which it is no longer retried.
    static let maxRejections = 3

    init(timeStopSeconds: Double?) {
        maxHoldingMicros = timeStopSeconds.map { Int64($0 * 1_000_000) }
    }

    /// Starts watching what an entry filled. Returns a reason when the plan cannot be tracked.
    func open(signal: Envelope<SignalPayload>, account: String, plan: RiskPlanPayload, plannedQty: Double,
              report: OrderReport, at now: Int64) -> String? {
        var matcher = FifoTradeMatcher(symbol: report.symbol)
        for fill in report.fills {
            do { _ = try matcher.apply(side: fill.side, qty: fill.qty, price: fill.price, fee: fill.fee, timeMicros: now) }
            catch { return "entry fill not trackable: \(error)" }
        }
        // The targets were planned for `plannedQty`; they exit the same fractions of what filled.
        let planned = plan.targets.reduce(0) { $0 + $1.qty }
        let factor = plannedQty > 0 ? report.filledQty / plannedQty : 0
        var targets = plan.plannedTargets.map { target in
            var scaled = target
            scaled.qty = target.qty * factor
            return scaled
        }
        if abs(planned - plannedQty) <= plannedQty * 1e-9, let last = targets.indices.last {
            targets[last].qty = max(0, report.filledQty - targets.dropLast().reduce(0) { $0 + $1.qty })
        }
        guard let tracker = ExitTracker(side: report.side, qty: report.filledQty, stopPrice: plan.stopPrice, targets: targets,
                                        entryTimeMicros: now, maxHoldingMicros: maxHoldingMicros) else {
            return "plan of stop \(plan.stopPrice) and \(targets.count) target(s) cannot be tracked for \(report.filledQty)"
        }
        positions[signal.id] = WatchedPosition(openingSignalId: signal.id, openingTraceId: signal.traceId, symbol: report.symbol,
                                               account: account, tracker: tracker, matcher: matcher)
        return nil
    }

    /// The exits due for `symbol` at this touch (longs are judged at the bid, shorts at the
    /// ask, the prices they would close at); each is recorded as sent.
    func evaluate(symbol: String, bid: Double, ask: Double, at now: Int64) -> [DueExit] {
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
    func reevaluate(at now: Int64) -> [DueExit] {
        let symbols = Set(positions.values.map(\.symbol)).sorted()
        return symbols.flatMap { symbol -> [DueExit] in
            guard let touch = touches[symbol] else { return [] }
            return evaluate(symbol: symbol, bid: touch.bid, ask: touch.ask, at: now)
        }
    }

    /// The watched positions, for `positions.get`, oldest first.
    func report(symbol: String?) -> [WatchedPositionPayload] {
        positions.values.filter { symbol == nil || $0.symbol == symbol }
            .sorted { ($0.tracker.entryTimeMicros, $0.openingSignalId) < ($1.tracker.entryTimeMicros, $1.openingSignalId) }
            .map { position in
                let tracker = position.tracker
                let lots = position.matcher.lots
                let open = lots.reduce(0) { $0 + $1.qty }
                let entry = open > 0 ? lots.reduce(0) { $0 + $1.qty * $1.price } / open : 0
                return WatchedPositionPayload(
                    openingSignalId: position.openingSignalId, openingTraceId: position.openingTraceId, account: position.account,
                    symbol: position.symbol, side: tracker.side, remainingQty: tracker.remainingQty, entryPrice: entry,
                    stopPrice: tracker.stopPrice,
                    targets: zip(tracker.targets, tracker.targetsHit).map { WatchedTargetPayload(price: $0.price, qty: $0.qty, hit: $1) },
                    openedAtUs: tracker.entryTimeMicros, timeStopAtUs: tracker.maxHoldingMicros.map { tracker.entryTimeMicros + $0 })
            }
    }

    /// Books the fills of an exit and returns the trades they closed; forgets the position
    /// once nothing of it is open.
    func filled(_ exit: DueExit, fills: [FillPayload], at now: Int64) -> [ClosedTrade] {
        guard var position = positions[exit.openingSignalId] else { return [] }
        var closed: [ClosedTrade] = []
        for fill in fills {
            closed += (try? position.matcher.apply(side: fill.side, qty: fill.qty, price: fill.price, fee: fill.fee, timeMicros: now)) ?? []
        }
        positions[exit.openingSignalId] = position.tracker.isClosed && position.matcher.lots.isEmpty ? nil : position
        return closed
    }

    /// Puts an exit whose order did not fill back in force, so the next tick retries it.
    /// A `definitive` failure (the venue rejected the order) counts towards
    /// `maxRejections`; past it the exit is dropped and false is returned.
    func failed(_ exit: DueExit, definitive: Bool) -> Bool {
        guard var position = positions[exit.openingSignalId] else { return false }
        if definitive {
            position.rejections[exit.kind, default: 0] += 1
            guard position.rejections[exit.kind, default: 0] < Self.maxRejections else { return false }
        }
        position.tracker.rearm(exit.action)
        positions[exit.openingSignalId] = position
        return true
    }

    private static func kind(of action: ExitAction) -> String {
        switch action.reason {
        case .stopLoss: "stop"
        case .takeProfit: "tp\((action.targetIndex ?? 0) + 1)"
        case .timeStop: "time"
        }
    }

    /// Open positions as the trade planner sees them, for the portfolio heat of a snapshot.
    func openTrades() -> [OpenTrade] {
        positions.values.compactMap { position in
            guard let lot = position.matcher.lots.first else { return nil }
            let qty = position.matcher.lots.reduce(0) { $0 + $1.qty }
            return OpenTrade(symbol: position.symbol, side: lot.side, qty: qty, entryPrice: lot.price,
                             stopPrice: position.tracker.stopPrice)
        }
    }
}
