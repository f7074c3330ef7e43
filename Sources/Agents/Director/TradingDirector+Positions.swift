import Trading
import WireProtocol

/// The positions the director watches: the exits market quotes and time trigger, queued in
/// their symbols' lanes, and what `positions.get`, the analytics' snapshots and `hedgectl
/// status` read of them.
extension TradingDirector {
    /// A market quote of `symbol`: exits it triggers are queued in the symbol's lane, and the
    /// analyst's last report of it no longer stands for the next signal (`LastAnalyses`).
    public func quote(symbol: String, bid: Double, ask: Double) async {
        cycle.lastAnalyses.forget(symbol)
        await dispatch(watcher.evaluate(symbol: symbol, bid: bid, ask: ask, at: time.nowMicros()))
    }

    /// Exits due by time alone (time stops, retries) are queued in their symbols' lanes.
    public func reevaluate() async {
        await dispatch(watcher.reevaluate(at: time.nowMicros()))
    }

    /// The watched positions, for `positions.get`.
    public func positions(symbol: String?) async -> OpenPositionsReport {
        OpenPositionsReport(positions: watcher.report(symbol: symbol))
    }

    /// Records a portfolio snapshot of the director's account, valued by the venue; nothing when
    /// the venue does not answer.
    public func snapshot() async {
        guard let rows = try? await venue.request(InventoryQuery(account: settings.account), trace: .root()).payload.positions else { return }
        await recorder.snapshot(account: settings.account, rows: rows, open: watcher.openTrades(), at: time.nowMicros())
    }

    /// What `hedgectl status` shows: the watched positions.
    public func notes() async -> [String] {
        let open = watcher.report(symbol: nil)
        return open.isEmpty ? [] : ["\(open.count) open: " + open.map { "\($0.symbol) \($0.side == .buy ? "long" : "short") \($0.remainingQty)" }.joined(separator: ", ")]
    }

    /// Runs each due exit in its symbol's lane, after whatever that symbol has queued; an exit
    /// the lane cannot take now is booked as not done, so it is tried again.
    func dispatch(_ due: [DueExit]) async {
        for exit in due {
            let admission = laneGates.withLock { gates in
                let admission = lanes.submit(exit.symbol) { [self] in
                    let (decision, trace) = await exits.run(exit)
                    // Published after the decisions before it in the lane.
                    return { [self] in publish(decision, trace: trace) }
                }
                // The signal after an exit is assessed once the exit is done, as before.
                if case .queued = admission { gates[exit.symbol] = nil }
                return admission
            }
            guard case .queued = admission else {
                _ = watcher.failed(exit, definitive: false)
                logger.warning("exit of \(exit.openingSignalId) on \(exit.symbol) not queued (\(admission)); will retry")
                continue
            }
        }
    }
}
