import AgentRuntime
import Trading
import WireProtocol

extension VenueEvents {
    /// Ticks every feed each interval, publishing the tick and the resting-order fills it caused.
    func runMarket(interval: Duration) async {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled {
            let moves = await exchange.tick(at: WallClock.micros())
            // Fills the tick caused are published only once they are on disk.
            guard (try? await exchange.barrier().wait()) != nil else { return }
            for move in moves {
                let tick = MarketTick(symbol: move.symbol, bid: move.quote.bid, ask: move.quote.ask, last: move.quote.last)
                node.publish(tick, type: EventType.market, topic: Topic.market(move.symbol), trace: .root())
                // Fills of one order share its trace; group so each trace gets its inventory and hedge.
                for (trace, fills) in Dictionary(grouping: move.fills, by: { $0.1 }) {
                    publishFills(fills.map { FillPayload($0.0) }, symbol: move.symbol, trace: trace)
                }
            }
            for problem in await exchange.takeFeedProblems() { node.logger.warning("market feed: \(problem)") }
            next = next.advanced(by: interval)
            try? await Task.sleep(until: next, clock: clock)
        }
    }

    /// Periodic full snapshots let late subscribers (recorders, a restarted RiskManager) know the
    /// inventory without waiting for the next fill.
    func runSnapshots(symbols: [String], interval: Duration) async {
        while !Task.isCancelled {
            for symbol in symbols { await VenueEvents.publishInventory(of: symbol, exchange: exchange, node: node, trace: .root()) }
            try? await Task.sleep(for: interval)
        }
    }

    /// Seed 003's loop for one symbol: refresh the ladder every interval until its duration ends.
    func runQuoting(symbol: String, interval: Duration) async {
        while !Task.isCancelled {
            let trace = TraceContext.root()
            guard let refresh = await exchange.refreshQuotes(symbol: symbol, trace: trace, at: WallClock.micros()) else { return }
            guard (try? await exchange.barrier().wait()) != nil else { return }
            for report in refresh.cancelled + refresh.placed { VenueMetrics.record(report) }
            publishFills(refresh.fills, symbol: symbol, trace: trace)
            let event = QuoteEventPayload(
                symbol: symbol, account: refresh.account,
                bids: refresh.bids.map { QuoteLevelPayload(price: $0.price, qty: $0.qty) },
                asks: refresh.asks.map { QuoteLevelPayload(price: $0.price, qty: $0.qty) },
                placed: refresh.placed.filter { $0.status != .rejected }.count, cancelled: refresh.cancelled.count,
                rejected: refresh.placed.compactMap(\.reason), flatten: refresh.flatten.map { "\($0.side.rawValue) \($0.qty): \($0.reason)" },
                problem: refresh.problem, stopped: refresh.stopped)
            node.publish(event, type: EventType.quote, topic: Topic.quote(symbol), trace: trace)
            if refresh.stopped { return }
            try? await Task.sleep(for: interval)
        }
    }
}
