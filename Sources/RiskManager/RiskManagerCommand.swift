import AgentRuntime
import ArgumentParser
import Configuration
import Logging
import Messaging
import Trading
import WireProtocol

/// `risk-manager`: approves and sizes trades (a `RiskDesk`) against the account as the
/// MarketMaker reports it.
@main
struct RiskManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk-manager",
        abstract: "Answer assess requests: size a trade to its stop, place take-profit targets, and check exposure, positions, heat and margin against the account at the MarketMaker.")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.riskManager.rawValue)
        let settings = topology.risk
        let desk = RiskDesk(planner: TradePlanner(limits: settings.limits), minConfidence: settings.minConfidence,
                            lotSize: settings.lotSize, assumedStopPct: settings.assumedStopPct, feeAllowanceBps: settings.feeAllowanceBps)
        let shortAccounts = Set(topology.accounts.filter(\.allowShort).map(\.name))
        let book = PortfolioBook(desk: desk)
        logger.info("risk preset \(settings.preset): \(settings.limits)")
        try await AgentHost.run(.riskManager, topology: topology, logger: logger) { node in
            let venue = try await node.client(for: .marketMaker)
            let inventory = try await node.subscribe([Topic.inventory("")])
            let venueBeats = try await node.subscribe([Topic.heartbeat(AgentName.marketMaker.rawValue)])
            @Sendable func snapshot(_ why: String) async {
                if let snapshot = try? await venue.request(InventoryQuery(), trace: .root()) {
                    await book.apply(snapshot.payload.positions)
                    logger.info("inventory snapshot from the MarketMaker (\(why)): \(snapshot.payload.positions.count) row(s)")
                } else {
                    logger.warning("no inventory snapshot from the MarketMaker (\(why)); waiting for its events")
                }
            }
            var wiring = AgentWiring()
            wiring.tasks.append {
                // A snapshot at start-up, so the view is whole before the first event arrives.
                await snapshot("start-up")
                for await message in inventory {
                    guard let event = node.decode(InventorySnapshot.self, message) else { continue }
                    await book.apply(event.payload.positions)
                }
            }
            wiring.tasks.append {
                // A MarketMaker that restarted (new pid) or went quiet and came back may have
                // changed while events were lost: take a new snapshot.
                var last: (pid: Int32, at: ContinuousClock.Instant)?
                let silence = Duration.milliseconds(3 * topology.heartbeatMs)
                for await message in venueBeats {
                    guard let beat = node.decode(HeartbeatPayload.self, message) else { continue }
                    let now = ContinuousClock.now
                    if let last, last.pid != beat.payload.pid || now - last.at > silence {
                        await snapshot(last.pid != beat.payload.pid ? "the MarketMaker restarted" : "the MarketMaker is back after a silence")
                    }
                    last = (beat.payload.pid, now)
                }
            }
            wiring.handlers.on(AssessRequest.self) { request in
                let ask = request.payload
                let trace = TraceContext.caused(by: request)
                // Read the account from the venue for every decision: events may still be in
                // flight, and a decision must see the fills of the orders before it.
                let snapshot = try await venue.request(InventoryQuery(account: ask.account), trace: trace)
                await book.apply(snapshot.payload.positions)
                let (holdings, memos) = await book.view(of: ask.account)
                let (verdict, plan) = Self.verdict(for: ask, desk: desk, holdings: holdings, memos: memos,
                                                   allowShort: shortAccounts.contains(ask.account), listed: topology.market.symbols.map(\.symbol))
                if let plan { await book.remember(plan, account: ask.account) }
                node.publish(verdict, type: EventType.risk, topic: Topic.risk(ask.symbol), trace: trace)
                logger.info("assess \(ask.account) \(ask.side.rawValue) \(ask.symbol): \(verdict.approved ? "approved \(verdict.qty)" : "rejected [\(verdict.limit ?? "-")]") — \(verdict.reason)",
                            metadata: ["trace_id": "\(request.traceId)"])
                return verdict
            }
            wiring.notes = { await book.notes() }
            return wiring
        }
    }

    /// The verdict on `ask`: sized at the analysis's last price (the venue's mid when the
    /// analysis has none) with the analysis's ATR for the stop.
    static func verdict(for ask: AssessRequest, desk: RiskDesk, holdings: [Holding], memos: [String: PlanMemo],
                        allowShort: Bool, listed: [String]) -> (verdict: RiskVerdict, plan: TradePlan?) {
        guard let held = holdings.first(where: { $0.symbol == ask.symbol }) else {
            let reason = !listed.contains(ask.symbol)
                ? "\(ask.symbol) is not listed at the venue (market.symbols: \(listed.joined(separator: ", ")))"
                : "the MarketMaker has no position for account '\(ask.account)' in \(ask.symbol); add it to the account's balances in the topology"
            return (RiskVerdict(symbol: ask.symbol, side: ask.side, approved: false, qty: 0, price: 0, notional: 0,
                                reason: reason, limit: PlanLimit.marketData.rawValue), nil)
        }
        let entry = ask.analysis.lastPrice ?? held.mark
        let decision = desk.assess(symbol: ask.symbol, side: ask.side, confidence: ask.signalConfidence, entry: entry,
                                   atr: ask.analysis.atr, allowShort: allowShort, holdings: holdings, memos: memos)
        switch decision {
        case .approved(let plan):
            let (portfolio, assumed) = desk.portfolio(holdings: holdings, memos: memos, cashSymbol: ask.symbol)
            let verdict = RiskVerdict(symbol: ask.symbol, side: ask.side, approved: true, qty: plan.qty, price: plan.entryPrice,
                                      notional: plan.notional, reason: plan.summary, limit: nil,
                                      plan: RiskPlanPayload(plan, capital: portfolio.capital, assumedStops: assumed))
            return (verdict, plan)
        case .rejected(let rejection):
            let verdict = RiskVerdict(symbol: ask.symbol, side: ask.side, approved: false, qty: 0, price: entry ?? 0, notional: 0,
                                      reason: rejection.message, limit: rejection.limit.rawValue,
                                      observed: rejection.observed, allowed: rejection.allowed)
            return (verdict, nil)
        }
    }
}
