import Trading
import WireFormat
import WireProtocol

extension VenueBook {
    /// Symbols quoted two-sided, with their refresh interval in milliseconds.
    var quotedSymbols: [(symbol: String, intervalMs: Int)] {
        quoting.values.map { ($0.symbol, $0.section.intervalMs) }.sorted { $0.symbol < $1.symbol }
    }

    /// One refresh of the two-sided quotes: cancel the ladder's resting orders and place the new plan (or
    /// flatten the position when stop-loss or take-profit is hit). Nil when `symbol` is not quoted.
    mutating func refreshQuotes(symbol: String, trace: TraceContext, at timestamp: Int64) -> QuoteRefresh? {
        guard var state = quoting[symbol] else { return nil }
        let account = state.section.account
        var refresh = QuoteRefresh(symbol: symbol, account: account)
        for id in state.liveOrderIds {
            if let report = cancel(orderId: id, account: account, at: timestamp) { refresh.cancelled.append(report) }
        }
        state.liveOrderIds = []
        state.refreshes += 1
        let started = state.startedUs ?? timestamp
        state.startedUs = started
        defer { quoting[symbol] = state }
        if let duration = state.section.durationS, Double(timestamp - started) / 1_000_000 >= duration {
            quoting[symbol] = nil
            refresh.stopped = true
            return refresh
        }
        let (quote, mark, position) = (venue.quote(for: symbol), venue.mark(for: symbol), venue.position(account: account, symbol: symbol))
        guard let quote, let mark, let position else {
            refresh.problem = "no market or no position for \(account) in \(symbol) yet"
            return refresh
        }
        do {
            var multipliers = SizeMultipliers()
            if let skew = state.sizeSkew {
                multipliers = try skew.multipliers(baseBalance: max(0, position.base.double), quoteBalance: max(0, position.quote.double),
                                                   price: quote.mid, totalOrderSize: state.ladder.totalOrderSize)
            }
            let volatility = AvellanedaStoikov.volatility(mids: Array(mids[symbol, default: []].suffix(state.section.volatilityWindow)))
            let pnl = position.unrealizedPnl(mark: mark)?.double ?? 0
            let plan = try state.ladder.plan(mid: quote.mid, position: position.base, unrealizedPnl: pnl,
                                             volatility: volatility, sizeMultipliers: multipliers)
            refresh.bids = plan.bids
            refresh.asks = plan.asks
            refresh.flatten = plan.flatten
            for order in plan.orders(account: account, symbol: symbol, clientIdPrefix: "q-\(symbol)-\(state.refreshes)") {
                let outcome = execute(order, trace: trace, at: timestamp)
                refresh.placed.append(outcome.report)
                if outcome.report.status == .open || outcome.report.status == .partiallyFilled {
                    state.liveOrderIds.append(outcome.report.orderId)
                }
            }
        } catch {
            refresh.problem = error.message
        }
        return refresh
    }
}
