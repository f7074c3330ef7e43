@testable import Trading

/// A one-account venue whose `symbol` trades under `rules`, already quoted at bid/ask.
func ruledVenue(
    _ balance: Balance, rules: SymbolRules, symbol: String = "BTC-USD", bid: Double, ask: Double,
    allowShort: Bool = false, config: VenueConfig = VenueConfig()
) throws -> SimulatedVenue {
    var venue = try SimulatedVenue(
        config: config,
        accounts: [AccountConfig(name: "desk", perSymbol: [symbol: balance], allowShort: allowShort)],
        symbols: ["BTC-USD", "ETH-USD"], rules: [symbol: rules])
    _ = venue.updateQuote(symbol: symbol, quote: MarketQuote(bid: bid, ask: ask, last: (bid + ask) / 2), at: 0)
    return venue
}

extension SimulatedVenue {
    /// Moves the touch of BTC-USD (or `symbol`) and returns the fills it caused.
    mutating func touch(_ bid: Double, _ ask: Double, symbol: String = "BTC-USD", at time: Int64) -> [Fill] {
        updateQuote(symbol: symbol, quote: MarketQuote(bid: bid, ask: ask, last: (bid + ask) / 2), at: time)
    }
}
