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
    /// The starting balance of every asset of `layout`, by asset number; refuses an empty
    /// name, an asset no symbol trades and a negative balance, which only a short-enabled
    /// account may hold, and only in an asset that is no symbol's quote.
    func startingBalances(in layout: AssetLayout) throws(TradingError) -> [AssetAmount] {
        guard !name.isEmpty else {
            throw TradingError(.invalidConfig, "account name must not be empty")
        }
        var start = Array(repeating: AssetAmount.zero, count: layout.names.count)
        for (asset, amount) in balances.sorted(by: { $0.key < $1.key }) {
            guard let number = layout[asset] else {
                throw TradingError(.invalidConfig, "account \(name) has a balance in \(asset), which no listed symbol trades "
                    + "(assets: \(layout.names.joined(separator: ", ")))")
            }
            guard !amount.isNegative || (allowShort && layout.quoteOf[number].isEmpty) else {
                throw TradingError(.invalidConfig, "account \(name) \(asset) balance must not be negative"
                    + (allowShort ? " (it is a quote asset)" : " without allowShort") + "; got \(amount)")
            }
            start[number] = amount
        }
        return start
    }
}
