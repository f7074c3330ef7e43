@testable import Trading

/// True when `a` and `b` agree to within `tolerance`, relative to the larger magnitude
/// (absolute below 1).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

/// The test suite's venue: "desk" and friends trading BTC-USD and ETH-USD.
func makeVenue(
    _ accounts: [AccountConfig], symbols: [String] = ["BTC-USD", "ETH-USD"],
    config: VenueConfig = VenueConfig()
) throws -> SimulatedVenue {
    try SimulatedVenue(config: config, accounts: accounts, symbols: symbols)
}

/// A one-account venue with `balance` in `symbol`, already quoted at bid/ask.
func quotedVenue(
    _ balance: Balance, symbol: String = "BTC-USD", bid: Double, ask: Double,
    allowShort: Bool = false, config: VenueConfig = VenueConfig()
) throws -> SimulatedVenue {
    var venue = try makeVenue(
        [AccountConfig(name: "desk", perSymbol: [symbol: balance], allowShort: allowShort)], config: config)
    _ = venue.updateQuote(symbol: symbol, quote: MarketQuote(bid: bid, ask: ask, last: (bid + ask) / 2), at: 0)
    return venue
}

/// A random quantity of the tests, made exact: rounded down to whole `lot`s.
func lots(_ value: Double, lot: Quantity = 0.0001) -> Quantity {
    ((try? Quantity(rounding: value, .down)) ?? 0).roundedDown(toMultipleOf: lot)
}

/// A random price of the tests, made exact: the nearest whole `tick`.
func ticks(_ value: Double, tick: Price = 0.01) -> Price {
    ((try? Price(rounding: value, .toNearestOrAwayFromZero)) ?? 0).roundedToNearest(multipleOf: tick)
}

/// Shorthand for a request from "desk".
func order(
    _ side: Side, _ qty: Quantity, _ type: OrderType = .market, limit: Price? = nil,
    symbol: String = "BTC-USD", account: String = "desk", id: String
) -> OrderRequest {
    OrderRequest(clientOrderId: id, account: account, symbol: symbol, side: side, type: type, qty: qty, limitPrice: limit)
}
