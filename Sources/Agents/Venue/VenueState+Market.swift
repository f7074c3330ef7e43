import Ledger
import Trading
import WireFormat
import WireProtocol

extension VenueState {
    /// One symbol's market move: the new quote and the resting-order fills it caused, each with
    /// the trace of the order it belongs to.
    struct Move {
        var symbol: String
        var quote: MarketQuote
        var fills: [(Fill, TraceContext)]
        /// Funding the move settled.
        var funding: [FundingPayment] = []
        /// Positions the move liquidated, each on a trace of its own.
        var liquidations: [(Liquidation, TraceContext)] = []
    }

    /// Advances every feed one step.
    func tick(at timestamp: Int64) -> [Move] {
        var moves: [Move] = []
        for index in feeds.indices {
            let symbol = feeds[index].symbol
            let next = feeds[index].feed.next()
            for problem in feeds[index].feed.takeProblems() { feedProblems.append(problem) }
            guard let quote = next else { continue }
            var history = mids[symbol, default: []]
            history.append(quote.mid)
            if history.count > 1_000 { history.removeFirst(history.count - 1_000) }
            mids[symbol] = history
            let mark = LedgerMark(venue)
            let filled = venue.updateQuote(symbol: symbol, quote: quote, at: timestamp)
            persist(.quote(fills: filled), since: mark, at: timestamp)
            // Orders restored from the ledger have lost their trace; their fills start a new one.
            let fills = filled.map { fill in (fill, restingTraces[fill.orderId] ?? .root()) }
            forgetFinishedOrders(fills.map(\.0.orderId))
            let funding = settleFunding(at: timestamp)
            moves.append(Move(symbol: symbol, quote: quote, fills: fills, funding: funding, liquidations: liquidate(at: timestamp)))
        }
        return moves
    }

    /// Pays the funding due on the venue's clock (the tick's time), journalled as one batch.
    func settleFunding(at timestamp: Int64) -> [FundingPayment] {
        let mark = LedgerMark(venue)
        let payments = venue.settleFunding(at: timestamp)
        if !payments.isEmpty { persist(.funding(payments), since: mark, at: timestamp) }
        return payments
    }

    /// Liquidates every position of margin accounts whose equity the marks have taken below
    /// maintenance margin, each order journalled on its own.
    func liquidate(at timestamp: Int64) -> [(Liquidation, TraceContext)] {
        var done: [(Liquidation, TraceContext)] = []
        while true {
            let mark = LedgerMark(venue)
            guard let liquidation = venue.liquidateNext(at: timestamp) else { return done }
            // Cancels move no position or balance, so the one mark serves every batch.
            for cancelled in liquidation.cancelled {
                persist(.cancel(orderId: cancelled.orderId, result: cancelled), since: mark, at: timestamp)
            }
            forgetFinishedOrders(liquidation.cancelled.map(\.orderId))
            persist(.submit(liquidation.request, liquidation.result), since: mark, at: timestamp)
            done.append((liquidation, .root()))
        }
    }

    /// Problems reading the market feeds since the last call, for the log.
    func takeFeedProblems() -> [String] {
        defer { feedProblems.removeAll() }
        return feedProblems
    }

    /// Drops the trace of orders that no longer rest.
    func forgetFinishedOrders(_ orderIds: [String]) {
        for id in orderIds where venue.restingOrder(id: id) == nil { restingTraces[id] = nil }
    }
}
