import Trading
import WireFormat
import WireProtocol

/// The director's `ExitBook`, shared by the signal lanes, the tick stream and `positions.get`.
public actor PositionWatcher {
    private var book: ExitBook

    /// An empty book; positions are closed by the time stop after `timeStopSeconds` when set.
    public init(timeStopSeconds: Double?) {
        book = ExitBook(maxHoldingMicros: timeStopSeconds.map { Int64($0 * 1_000_000) })
    }

    /// Books what an entry filled: it first closes opposite positions (the trades returned), and
    /// the rest is watched. Fails with the reason when the plan cannot be tracked.
    public func open(signal: Envelope<SignalPayload>, account: String, plan: RiskPlanPayload, plannedQty: Quantity,
              report: OrderReport, at now: Int64) -> Result<[OffsetTrades], TradingError> {
        Result { () throws(TradingError) in
            try book.open(signalId: signal.id, traceId: signal.traceId, symbol: report.symbol, account: account,
                          fills: report.fills.map(Execution.init), stopPrice: plan.stopPrice, targets: plan.plannedTargets,
                          plannedQty: plannedQty, at: now)
        }
    }

    /// Whether a position opened by `signalId` is being watched.
    public func isWatching(_ signalId: String) -> Bool { book.watched().contains { $0.openingSignalId == signalId } }

    /// The exits a quote of `symbol` triggers.
    public func evaluate(symbol: String, bid: Double, ask: Double, at now: Int64) -> [DueExit] {
        book.evaluate(symbol: symbol, bid: bid, ask: ask, at: now)
    }

    /// The exits due by time alone (time stops, retries whose back-off has passed).
    public func reevaluate(at now: Int64) -> [DueExit] { book.reevaluate(at: now) }

    /// Books an exit's fills and returns the trades they closed.
    public func filled(_ exit: DueExit, fills: [FillPayload], at now: Int64) -> [ClosedTrade] {
        book.filled(exit, fills: fills.map(Execution.init), at: now)
    }

    /// Books an exit that did not fill; true when it will be tried again.
    public func failed(_ exit: DueExit, definitive: Bool) -> Bool { book.failed(exit, definitive: definitive) }

    /// The open part of every watched position, for portfolio heat.
    public func openTrades() -> [OpenTrade] { book.openTrades }

    /// The watched positions, for `positions.get`.
    public func report(symbol: String?) -> [WatchedPositionPayload] {
        book.watched(symbol: symbol).map { position in
            let tracker = position.tracker
            return WatchedPositionPayload(
                openingSignalId: position.openingSignalId, openingTraceId: position.openingTraceId, account: position.account,
                symbol: position.symbol, side: tracker.side, remainingQty: tracker.remainingQty.wire, entryPrice: position.entryPrice.wire,
                stopPrice: tracker.stopPrice,
                targets: zip(tracker.targets, tracker.targetsHit).map { WatchedTargetPayload(price: $0.price, qty: $0.qty.wire, hit: $1) },
                openedAtUs: tracker.entryTimeMicros, timeStopAtUs: tracker.maxHoldingMicros.map { tracker.entryTimeMicros + $0 })
        }
    }
}
