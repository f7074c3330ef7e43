import Ledger
import Trading
import WireFormat
import WireProtocol

extension VenueBook {
    /// One symbol's market move: the new quote, the resting-order fills it caused, each with
    /// the trace of the order it belongs to, and the liquidations the new marks set off.
    struct Move {
        var symbol: String
        var quote: MarketQuote
        var fills: [(Fill, TraceContext)]
        /// Positions the move liquidated, each on a trace of its own.
        var liquidations: [(Liquidation, TraceContext)] = []
    }

    /// What one tick of the market did: each symbol's move, then the funding settled on the
    /// tick's time and the liquidations that funding set off.
    struct Step {
        var moves: [Move] = []
        var funding = FundingSettlement()
        var liquidations: [(Liquidation, TraceContext)] = []
    }

    /// Advances every feed one step, then settles funding on the tick's time, for every quoted
    /// symbol whether or not its feed moved (a market holding still still pays at its funding
    /// times, at its last mark). The accounts a moved mark re-values are noted for the round's
    /// `account.<name>` events.
    mutating func tick(at timestamp: Int64) -> Step {
        var step = Step()
        for index in feeds.indices {
            let symbol = feeds[index].symbol
            let next = feeds[index].feed.next()
            for problem in feeds[index].feed.takeProblems() { feedProblems.append(problem) }
            guard let quote = next else { continue }
            // In place: the series is not copied out of the dictionary and back every tick.
            mids[symbol, default: []].append(quote.mid)
            if let count = mids[symbol]?.count, count > 1_000 { mids[symbol]?.removeFirst(count - 1_000) }
            let mark = LedgerMark(&venue)
            let markBefore = venue.mark(for: symbol)
            let filled = venue.updateQuote(symbol: symbol, quote: quote, at: timestamp)
            persist(.quote(fills: filled), since: mark, at: timestamp)
            if venue.mark(for: symbol) != markBefore { remarkedAccounts.formUnion(venue.accountsMarked(by: symbol)) }
            // Orders restored from the ledger have lost their trace; their fills start a new one.
            let fills = filled.map { fill in (fill, restingTraces[fill.orderId] ?? .root()) }
            forgetFinishedOrders(fills.map(\.0.orderId))
            step.moves.append(Move(symbol: symbol, quote: quote, fills: fills, liquidations: liquidate(at: timestamp)))
        }
        step.funding = settleFunding(at: timestamp)
        if !step.funding.payments.isEmpty { step.liquidations = liquidate(at: timestamp) }
        return step
    }

    /// Pays the funding due on the venue's clock (the tick's time), journalled as one batch
    /// with the funding clock, so a restart carries on from the last funding time settled.
    mutating func settleFunding(at timestamp: Int64) -> FundingSettlement {
        let mark = LedgerMark(&venue)
        let settlement = venue.settleFunding(at: timestamp)
        if !settlement.isEmpty { persist(.funding(settlement), since: mark, at: timestamp) }
        return settlement
    }

    /// Liquidates every position of margin accounts whose equity the marks have taken below
    /// maintenance margin, each order journalled on its own.
    mutating func liquidate(at timestamp: Int64) -> [(Liquidation, TraceContext)] {
        var done: [(Liquidation, TraceContext)] = []
        while true {
            let mark = LedgerMark(&venue)
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
    mutating func takeFeedProblems() -> [String] {
        defer { feedProblems.removeAll() }
        return feedProblems
    }

    /// Drops the trace of orders that no longer rest.
    mutating func forgetFinishedOrders(_ orderIds: [String]) {
        let finished = orderIds.filter { venue.restingOrder(id: $0) == nil }
        for id in finished { restingTraces[id] = nil }
    }
}
