import Testing
import Trading

// A seeded stream of venue calls (quotes, limit and market orders, retries, cancels, replaces,
// bad orders) shared by the restore tests of TradingTests and LedgerTests.

/// Field by field, so a failure names the part that differs instead of printing everything.
public func expectSameState(_ actual: VenueSnapshot, _ expected: VenueSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.ordersSubmitted == expected.ordersSubmitted, sourceLocation: sourceLocation)
    #expect(actual.positions == expected.positions, sourceLocation: sourceLocation)
    #expect(actual.reservations == expected.reservations, sourceLocation: sourceLocation)
    #expect(actual.restingOrders == expected.restingOrders, sourceLocation: sourceLocation)
    #expect(actual.quotes == expected.quotes, sourceLocation: sourceLocation)
    #expect(actual.rememberedResults.count == expected.rememberedResults.count, sourceLocation: sourceLocation)
    let differing = zip(actual.rememberedResults, expected.rememberedResults).filter { $0 != $1 }.map(\.0.orderId)
    #expect(differing == [], sourceLocation: sourceLocation)
}

/// A seeded stream of venue calls over two accounts (one may short) and two symbols, one
/// with a tick grid, a minimum size and limited displayed liquidity: part fills, equal-price
/// queues, retried client ids, cancels, replaces and rejections all reach the ledger.
public struct VenueScript {
    public enum Call: Hashable {
        case quote(String, MarketQuote)
        case submit(OrderRequest)
        case cancel(String)
        case replace(String, qty: Quantity?, price: Price?)
    }

    public enum Outcome: Hashable {
        case fills([Fill])
        case result(OrderResult?)
    }

    public static let symbols = ["BTC-USD", "ETH-USD"]
    public static let ticks: [String: Price] = ["BTC-USD": 0.5, "ETH-USD": 0.01]
    public static let lots: [String: Quantity] = ["BTC-USD": 0.0001, "ETH-USD": 0.001]
    public static let accounts = [
        AccountConfig(name: "mm", balances: ["USD": 150_000, "BTC": 1, "ETH": 10]),
        AccountConfig(name: "shorty", balances: ["USD": 120_000], allowShort: true),
    ]
    /// The assets of each symbol.
    public static let pairs = ["BTC-USD": AssetPair(base: "BTC", quote: "USD"), "ETH-USD": AssetPair(base: "ETH", quote: "USD")]

    /// Every configured starting balance per asset, zero where none is configured.
    public static var initialBalances: [AssetKey: AssetAmount] {
        var all: [AssetKey: AssetAmount] = [:]
        for account in accounts {
            for asset in ["BTC", "ETH", "USD"] { all[AssetKey(account: account.name, asset: asset)] = account.balances[asset] ?? 0 }
        }
        return all
    }

    public static func venue() throws -> SimulatedVenue {
        try SimulatedVenue(
            config: VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 2), accounts: accounts, symbols: symbols,
            rules: ["BTC-USD": SymbolRules(tickSize: 0.5, lotSize: 0.0001, minQty: 0.001, quoteStep: 0.01, displayedSize: 0.4),
                    "ETH-USD": SymbolRules(tickSize: 0.01, lotSize: 0.001)])
    }

    /// The same venue with "shorty" a 10x margin account and both symbols perpetuals paying
    /// funding every second: 1 bps on BTC-USD (to cents), −0.5 bps on ETH-USD (to 10⁻⁸).
    public static func perpetualVenue() throws -> SimulatedVenue {
        var margined = accounts
        margined[1].margin = MarginTerms(maxLeverage: 10)
        return try SimulatedVenue(
            config: VenueConfig(takerFeeBps: 10, makerFeeBps: 5, slippageBps: 2), accounts: margined, symbols: symbols,
            rules: ["BTC-USD": SymbolRules(tickSize: 0.5, lotSize: 0.0001, minQty: 0.001, quoteStep: 0.01, displayedSize: 0.4,
                                           funding: FundingTerms(intervalSeconds: 1, rateBps: 1)),
                    "ETH-USD": SymbolRules(tickSize: 0.01, lotSize: 0.001, funding: FundingTerms(intervalSeconds: 1, rateBps: -0.5))])
    }

    var rng: SeededGenerator
    var mids = ["BTC-USD": 60_000.0, "ETH-USD": 3_000.0]
    public var sent: [OrderRequest] = []
    var count = 0

    public init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    /// The next call, chosen with `venue`'s book in view.
    public mutating func next(for venue: SimulatedVenue) -> Call {
        count += 1
        let symbol = Self.symbols[Int(rng.next() % 2)]
        let roll = rng.nextUnit()
        let open = venue.openOrders
        if roll < 0.3 || venue.quote(for: symbol) == nil { return quote(symbol) }
        if roll < 0.38, !open.isEmpty { return .cancel(open[Int(rng.next() % UInt64(open.count))].orderId) }
        if roll < 0.46, !open.isEmpty {
            let order = open[Int(rng.next() % UInt64(open.count))]
            let qty: Quantity? = rng.nextUnit() < 0.5 ? nil : size(order.symbol)
            let price: Price? = rng.nextUnit() < 0.3 ? nil : limit(order.symbol)
            return .replace(order.orderId, qty: qty, price: price)
        }
        if roll < 0.52, !sent.isEmpty { return .submit(sent[Int(rng.next() % UInt64(sent.count))]) }
        let type: OrderType = rng.nextUnit() < 0.75 ? .limit : .market
        var request = OrderRequest(
            clientOrderId: rng.nextUnit() < 0.05 ? "" : "c\(count)", account: rng.next() % 2 == 0 ? "mm" : "shorty",
            symbol: symbol, side: rng.next() % 2 == 0 ? .buy : .sell, type: type, qty: size(symbol),
            limitPrice: type == .limit ? limit(symbol) : nil)
        // A few malformed orders: a quantity that is not positive or not whole lots, a price off the grid.
        switch rng.nextUnit() {
        case ..<0.01: request.qty = [-1, 0, request.qty + Quantity(raw: 1)][Int(rng.next() % 3)]
        case ..<0.02: request.limitPrice = request.limitPrice.map { $0 + Price(raw: Self.ticks[symbol]!.raw / 3) }
        case ..<0.03: request.account = "ghost"
        case ..<0.04: request.symbol = "DOGE-USD"
        default: break
        }
        sent.append(request)
        return .submit(request)
    }

    /// Runs `call` on `venue`.
    public static func apply(_ call: Call, to venue: inout SimulatedVenue, at time: Int64) -> Outcome {
        switch call {
        case .quote(let symbol, let quote): .fills(venue.updateQuote(symbol: symbol, quote: quote, at: time))
        case .submit(let request): .result(venue.submit(request, at: time))
        case .cancel(let orderId): .result(venue.cancel(orderId: orderId))
        case .replace(let orderId, let qty, let price): .result(venue.replace(orderId: orderId, newQty: qty, newLimitPrice: price, at: time))
        }
    }

    /// Several resting orders, at least one of them part filled.
    public static func isDemanding(_ venue: SimulatedVenue) -> Bool {
        venue.openOrders.count >= 3 && venue.openOrders.contains { $0.filledQty.isPositive }
    }

    /// A new touch for `symbol`, a random step from the last.
    public mutating func quote(_ symbol: String) -> Call {
        let mid = mids[symbol]! * (1 + 0.001 * rng.nextGaussian())
        mids[symbol] = mid
        return .quote(symbol, MarketQuote(bid: mid * 0.9997, ask: mid * 1.0003, last: mid))
    }

    /// A whole number of lots, at least the minimum.
    private mutating func size(_ symbol: String) -> Quantity {
        let lots: UInt64 = symbol == "BTC-USD" ? 10 + rng.next() % 9_000 : 10 + rng.next() % 12_000
        return Quantity(raw: Self.lots[symbol]!.raw * Int64(lots))
    }

    /// A price on the grid near the mid.
    private mutating func limit(_ symbol: String) -> Price {
        let tick = Self.ticks[symbol]!
        let ticks = (mids[symbol]! * (1 + (rng.nextUnit() - 0.5) * 0.012)) / tick.double
        return Price(raw: tick.raw * Int64(ticks.rounded()))
    }
}
