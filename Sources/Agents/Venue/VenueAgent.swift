import Configuration
import Logging
import ServiceLifecycle
import Trading
import WireFormat
import WireProtocol

/// The MarketMaker's logic: answers `order.submit`, `order.cancel`, `order.replace` and
/// `inventory.get`, and provides the services that tick the market, publish inventory
/// snapshots, quote, follow up fills (inventory events, hedges) and watch the ledger.
///
/// Committed before acknowledged: a reply, and the fill events of what it reports, wait until
/// the journal has made the operation (and everything before it) durable; when it cannot, the
/// request fails with an error reply. The executable registers the request methods with its
/// transport and runs `services(market:)` in its service group.
public struct VenueAgent: Sendable {
    /// The venue's state.
    public let venueState: VenueState
    let events: VenueEvents
    let followUps: VenueFollowUps
    let hedger: VenueHedger?
    let time: any TimeSource
    let logger: Logger

    /// A venue over `venueState` that publishes through `publisher` and sends hedge orders
    /// through each of `hedges`' routes; throws when a hedge leg is invalid.
    public init(venueState: VenueState, publisher: any EventPublishing, logger: Logger, metrics: any VenueMetricsRecording = NoVenueMetrics(),
                time: any TimeSource = SystemTime(), hedges: [HedgeRoute] = []) throws(TradingError) {
        let followUps = VenueFollowUps()
        self.venueState = venueState
        self.followUps = followUps
        self.time = time
        self.logger = logger
        events = VenueEvents(venueState: venueState, publisher: publisher, logger: logger, metrics: metrics, followUps: followUps,
                             accountDeltas: AccountEventDeltas(time: time))
        hedger = hedges.isEmpty ? nil : try VenueHedger(routes: hedges, publisher: publisher, logger: logger, metrics: metrics, time: time)
    }

    /// Executes an order, or replays the first result of a repeated client order id (which
    /// publishes nothing). The reply and the fill events wait for the commit. The fill events,
    /// the metrics and the log line wait for the reply to leave (`afterPendingSends`): where the
    /// agents share a loop, the cycle the reply resumes reaches its decision first. So do the
    /// account events (a RiskManager reads its accounts from them, and waits for one that is
    /// due) where the agents share a loop, unless a later order took this one's early: then,
    /// and wherever the reply leaves the process, they are queued before the reply.
    public func submit(_ request: Envelope<OrderSubmit>) async throws -> OrderReport {
        let trace = TraceContext.caused(by: request)
        let outcome = venueState.submit(request.payload, trace: trace, at: time.nowMicros())
        try await outcome.commit.wait()
        if outcome.executed {
            let (events, report) = (events, outcome.report)
            // Queued before the reply when a later order of another cycle took the account's
            // event at this order's version early (`VenueBook.beginChange`): it reaches a
            // RiskManager before this report reaches the director, whose next assessments, in
            // any cycle, ask for this version. And where the reply leaves the process, the
            // follow-up runs once it is sent (the loop's next job), not once the loop is idle:
            // under load a symbol's next verdict waits for this event.
            let now = venueState.holdsEarlyAccountSnapshots || !events.publisher.sharesLoopWithPeers
            if now { events.followUps.enqueue(.accountsChanged(trace: trace)) }
            events.publisher.afterPendingSends {
                if !now { events.followUps.enqueue(.accountsChanged(trace: trace)) }
                events.reported(report, trace: trace)
            }
        }
        return outcome.report
    }

    /// Cancels a resting order of the request's account; `not_found` when it has none by that id.
    public func cancel(_ request: Envelope<OrderCancel>) async throws -> OrderReport {
        let ask = request.payload
        guard let report = venueState.cancel(orderId: ask.orderId, account: ask.account, at: time.nowMicros()) else {
            throw ProtocolError(.notFound, "account \(ask.account) has no resting order \(ask.orderId)")
        }
        try await venueState.barrier().wait()
        events.handled(report, trace: .caused(by: request))
        return report
    }

    /// Replaces a resting order's quantity and/or limit price (the replacement gets a new order
    /// id); `not_found` when the account has no resting order by that id.
    public func replace(_ request: Envelope<OrderReplace>) async throws -> OrderReport {
        let ask = request.payload, trace = TraceContext.caused(by: request)
        guard let report = venueState.replace(orderId: ask.orderId, account: ask.account, qty: ask.qty.map(Quantity.init(wire:)), price: ask.price.map(Price.init(wire:)),
                                              trace: trace, at: time.nowMicros()) else {
            throw ProtocolError(.notFound, "account \(ask.account) has no resting order \(ask.orderId)")
        }
        try await venueState.barrier().wait()
        events.handled(report, trace: trace)
        return report
    }

    /// Positions matching the query, and the matching accounts' balances per asset. Read-your-writes against the disk: the answer waits until
    /// every fill it shows is committed.
    public func inventory(_ request: Envelope<InventoryQuery>) async throws -> InventorySnapshot {
        let (rows, accounts, commit) = venueState.durablePositions(symbol: request.payload.symbol, account: request.payload.account)
        try await commit.wait()
        return InventorySnapshot(positions: rows, accounts: accounts, venueEpoch: venueState.epoch)
    }

    /// Conditions for the heartbeat (hedge failures).
    public func notes() async -> [String] { await hedger?.notes() ?? [] }

    /// Advances every feed one step and, once what it did is durable, publishes each symbol's
    /// tick, the resting-order fills it caused (each on its order's trace) and the liquidations
    /// it set off, then the funding it settled and the liquidations that set off, then the
    /// `account.<name>` event of every account the round changed (its commits, or the mark of a
    /// symbol the account is exposed to; not a flat account's marks alone). False when the
    /// journal failed: nothing is published then.
    public func tickMarket() async -> Bool {
        let step = venueState.tick(at: time.nowMicros())
        // Fills the tick caused are published only once they are on disk.
        guard (try? await venueState.barrier().wait()) != nil else { return false }
        for move in step.moves {
            let tick = MarketTick(symbol: move.symbol, bid: move.quote.bid, ask: move.quote.ask, last: move.quote.last)
            events.publisher.publish(tick, type: EventType.market, topic: Topic.market(move.symbol), trace: .root())
            // Fills of one order share its trace; group so each trace gets its inventory and hedge.
            for (trace, fills) in Dictionary(grouping: move.fills, by: { $0.1 }) {
                events.publishFills(fills.map { FillPayload($0.0) }, symbol: move.symbol, trace: trace)
            }
            publish(move.liquidations)
        }
        for payment in step.funding.payments {
            events.publisher.publish(FundingPayload(payment), type: FundingPayload.eventType,
                                     topic: FundingPayload.topic(payment.symbol), trace: .root())
        }
        for (symbol, count) in step.funding.skipped.sorted(by: { $0.key < $1.key }) {
            logger.warning("funding \(symbol): \(count) older funding time(s) passed since the last settlement were not paid; only the latest \(SimulatedVenue.fundingCatchUpLimit) are")
        }
        publish(step.liquidations)
        // One event for the whole round per account it changed: by a commit, or through the mark
        // of a symbol the account holds, trades or rests orders in.
        await events.publishAccounts(remarked: true, trace: .root())
        for problem in venueState.takeFeedProblems() { logger.warning("market feed: \(problem)") }
        return true
    }

    /// Logs and publishes each liquidation (the cancelled resting orders, the order, its fills) on its trace.
    private func publish(_ liquidations: [(Liquidation, TraceContext)]) {
        for (liquidation, trace) in liquidations {
            let result = liquidation.result
            let cancelled = liquidation.cancelled.map { "\($0.orderId) (\($0.clientOrderId)) \($0.side.rawValue) \($0.requestedQty - $0.filledQty)" }
            logger.warning("liquidated \(result.account) \(result.side.rawValue) \(result.filledQty) \(result.symbol): equity \(liquidation.before.equity) below maintenance margin \(liquidation.before.maintenanceMargin)\(cancelled.isEmpty ? "" : "; cancelled its resting \(cancelled.joined(separator: ", ")) first")",
                           metadata: ["trace_id": .string(trace.traceId)])
            events.publisher.publish(LiquidationPayload(liquidation), type: LiquidationPayload.eventType,
                                     topic: LiquidationPayload.topic(result.symbol), trace: trace)
            events.publishFills(result.fills.map(FillPayload.init), symbol: result.symbol, trace: trace)
        }
    }

    /// Publishes `inventory.<symbol>` for each of `symbols`, so late subscribers (recorders, a
    /// restarted RiskManager) know the inventory without waiting for the next fill.
    public func publishInventory(symbols: [String]) async {
        for symbol in symbols { await events.publishInventory(of: symbol, trace: .root()) }
    }

    /// One refresh of `symbol`'s two-sided quotes: cancels the ladder's resting orders, places the new plan
    /// and, once durable, publishes its fills and a `quote.<symbol>` event. False when quoting
    /// `symbol` has ended (or never began) or the journal failed.
    public func refreshQuotes(symbol: String) async -> Bool {
        let trace = TraceContext.root()
        guard let refresh = venueState.refreshQuotes(symbol: symbol, trace: trace, at: time.nowMicros()) else { return false }
        guard (try? await venueState.barrier().wait()) != nil else { return false }
        for report in refresh.cancelled + refresh.placed { events.metrics.record(report) }
        events.publishFills(refresh.fills, symbol: symbol, trace: trace)
        events.followUps.enqueue(.accountsChanged(trace: trace))
        let event = QuoteEventPayload(
            symbol: symbol, account: refresh.account,
            bids: refresh.bids.map { QuoteLevelPayload(price: $0.price.wire, qty: $0.qty.wire) },
            asks: refresh.asks.map { QuoteLevelPayload(price: $0.price.wire, qty: $0.qty.wire) },
            placed: refresh.placed.filter { $0.status != .rejected }.count, cancelled: refresh.cancelled.count,
            rejected: refresh.placed.compactMap(\.reason), flatten: refresh.flatten.map { "\($0.side.rawValue) \($0.qty): \($0.reason)" },
            problem: refresh.problem, stopped: refresh.stopped)
        events.publisher.publish(event, type: EventType.quote, topic: Topic.quote(symbol), trace: trace)
        return !refresh.stopped
    }
}
