import AgentRuntime
import Trading
import WireProtocol

/// The MarketMaker's state: the simulated venue, one seeded price process per symbol, and the
/// trace each resting order came from (so its later fills join that trace).
actor Exchange {
    /// What changed when an order was handled or the market moved.
    struct Outcome {
        var report: OrderReport
        /// False when the order was a repeat of an earlier client order id (nothing executed).
        var executed: Bool
    }

    private var venue: SimulatedVenue
    private let limits: InventoryLimits
    private var overLimit: Set<PositionKey> = []
    private var processes: [(symbol: String, process: PriceProcess)]
    private var seenOrders: Set<String> = []
    private var restingTraces: [String: TraceContext] = [:]

    init(market: MarketSection, accounts: [AccountSection]) throws(TradingError) {
        let config = VenueConfig(takerFeeBps: market.takerFeeBps, makerFeeBps: market.makerFeeBps, slippageBps: market.slippageBps)
        let accountConfigs = accounts.map { account in
            AccountConfig(name: account.name,
                          balances: account.balances.mapValues { Balance(base: $0.base, quote: $0.quote) },
                          allowShort: account.allowShort)
        }
        venue = try SimulatedVenue(config: config, accounts: accountConfigs, symbols: market.symbols.map(\.symbol))
        var perSymbol: [String: Double] = [:]
        for symbol in market.symbols { perSymbol[symbol.symbol] = symbol.maxInventory }
        limits = try InventoryLimits(perSymbol: perSymbol)
        var processes: [(String, PriceProcess)] = []
        for (index, symbol) in market.symbols.enumerated() {
            let config = PriceProcessConfig(startPrice: symbol.startPrice, drift: symbol.drift, volatility: symbol.volatility,
                                            tickSize: symbol.tickSize, spreadBps: symbol.spreadBps,
                                            stepSeconds: Double(market.tickMs) / 1_000)
            // Each symbol gets its own stream derived from the one seed, so adding a symbol
            // does not change the others' prices.
            let process = try PriceProcess(config: config, seed: market.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            processes.append((symbol.symbol, process))
            _ = venue.updateQuote(symbol: symbol.symbol, quote: process.current, at: WallClock.micros())
        }
        self.processes = processes
    }

    /// Executes (or replays) an order.
    func submit(_ order: OrderSubmit, trace: TraceContext, at timestamp: Int64) -> Outcome {
        let request = OrderRequest(clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                                   side: order.side, type: order.type, qty: order.qty, limitPrice: order.price)
        let executed = seenOrders.insert("\(order.account)\u{1F}\(order.clientOrderId)").inserted
        let result = venue.submit(request, at: timestamp)
        if executed, result.status == .open || result.status == .partiallyFilled {
            restingTraces[result.orderId] = trace
        }
        return Outcome(report: OrderReport(result), executed: executed)
    }

    /// Advances every price process one step; returns each new quote and the resting-order
    /// fills it triggered, with the trace of the order each fill belongs to.
    func tick(at timestamp: Int64) -> [(symbol: String, quote: MarketQuote, fills: [(Fill, TraceContext)])] {
        var moves: [(String, MarketQuote, [(Fill, TraceContext)])] = []
        for index in processes.indices {
            let quote = processes[index].process.next()
            let symbol = processes[index].symbol
            let fills = venue.updateQuote(symbol: symbol, quote: quote, at: timestamp).map { fill in
                (fill, restingTraces[fill.orderId] ?? .root())
            }
            if !fills.isEmpty {
                let stillOpen = Set(venue.openOrders.map(\.orderId))
                for (fill, _) in fills where !stillOpen.contains(fill.orderId) { restingTraces[fill.orderId] = nil }
            }
            moves.append((symbol, quote, fills))
        }
        return moves
    }

    /// Seed 001's view of every account and symbol (effective inventory, pending exposure, limit),
    /// and which of them just went over their limit.
    func inventoryStates() -> (states: [InventoryState], newlyOverLimit: [InventoryState]) {
        let states = venue.inventories(limits: limits)
        var fresh: [InventoryState] = []
        for state in states {
            let key = PositionKey(account: state.account, symbol: state.symbol)
            if state.isOverLimit {
                if overLimit.insert(key).inserted { fresh.append(state) }
            } else {
                overLimit.remove(key)
            }
        }
        return (states, fresh)
    }

    /// Positions matching the optional filters, marked at the current mid.
    func positions(symbol: String? = nil, account: String? = nil) -> [PositionPayload] {
        let all = venue.positions
        return all.keys.sorted()
            .filter { (symbol == nil || $0.symbol == symbol) && (account == nil || $0.account == account) }
            .compactMap { key in all[key].map { PositionPayload($0, mark: venue.quote(for: key.symbol)?.mid) } }
    }
}
