/// Fee and slippage schedule of the simulated venue, in basis points of notional.
public struct VenueConfig: Sendable, Hashable, Codable {
    /// Fee on orders that trade at once (market and marketable limit orders).
    public var takerFeeBps: Double
    /// Fee on resting limit orders when a later quote fills them.
    public var makerFeeBps: Double
    /// Price concession on market orders: buys pay ask × (1 + s), sells get bid × (1 − s).
    public var slippageBps: Double

    /// Creates a schedule; defaults are 10 bps taker, 5 bps maker, no slippage.
    public init(takerFeeBps: Double = 10, makerFeeBps: Double = 5, slippageBps: Double = 0) {
        self.takerFeeBps = takerFeeBps
        self.makerFeeBps = makerFeeBps
        self.slippageBps = slippageBps
    }
}

extension VenueConfig {
    /// Every rate must be finite, not negative and below 10 000 bps: at 100 % a sell
    /// would pay away its whole proceeds, or fill at a price of zero.
    func validated() throws(TradingError) -> VenueConfig {
        for (name, value) in [("takerFeeBps", takerFeeBps), ("makerFeeBps", makerFeeBps), ("slippageBps", slippageBps)] {
            guard value.isFinite, value >= 0, value < 10_000 else {
                throw TradingError(.invalidConfig, "venue \(name) must be in [0, 10000) bps, got \(value)")
            }
        }
        return self
    }

    /// The three rates as exact basis points (taker, maker, slippage); each must be a whole
    /// number of 0.0001 bps.
    func exactRates() throws(TradingError) -> (BasisPoints, BasisPoints, BasisPoints) {
        func exact(_ name: String, _ bps: Double) throws(TradingError) -> BasisPoints {
            guard let rate = BasisPoints(bps) else {
                throw TradingError(.invalidConfig, "venue \(name) must be a whole number of 0.0001 bps, got \(bps)")
            }
            return rate
        }
        return (try exact("takerFeeBps", takerFeeBps), try exact("makerFeeBps", makerFeeBps), try exact("slippageBps", slippageBps))
    }
}

extension AccountConfig {
    /// Checks the name and every balance against the venue's symbols.
    func validate(knownSymbols: Set<String>) throws(TradingError) {
        guard !name.isEmpty else {
            throw TradingError(.invalidConfig, "account name must not be empty")
        }
        for (symbol, balance) in balances.sorted(by: { $0.key < $1.key }) {
            guard knownSymbols.contains(symbol) else {
                throw TradingError(.invalidConfig, "account \(name) has a balance in unlisted symbol \(symbol)")
            }
            guard !balance.quote.isNegative else {
                throw TradingError(.invalidConfig, "account \(name) \(symbol) quote must not be negative, got \(balance.quote)")
            }
            guard !balance.base.isNegative || allowShort else {
                throw TradingError(.invalidConfig, "account \(name) \(symbol) base must not be negative without allowShort; got \(balance.base)")
            }
        }
    }
}
