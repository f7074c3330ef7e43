/// Avellaneda–Stoikov (2008) optimal market-making quotes around an inventory-adjusted
/// reservation price:
///
///     r = s − q·γ·σ²·τ
///     δ = γ·σ²·τ + (2/γ)·ln(1 + γ/κ)      (total bid–ask spread)
///     bid = r − δ/2,  ask = r + δ/2
///
/// s is the mid, q the inventory in base units relative to target, σ the volatility of
/// the price per time unit and τ the time left in the same unit. Being long (q > 0)
/// lowers both quotes so sells become likelier than buys.
public struct AvellanedaStoikov: Sendable, Hashable {
    /// γ, risk aversion: larger values skew harder for inventory and widen the spread.
    public let riskAversion: Double
    /// κ, order-book liquidity: how fast fill probability falls with distance from mid.
    public let orderBookLiquidity: Double
    /// τ = T − t, the horizon left, in the time unit σ is measured in.
    public let horizon: Double

    /// Creates a model; each parameter must be positive and finite.
    public init(riskAversion: Double, orderBookLiquidity: Double, horizon: Double) throws(TradingError) {
        for (name, value) in [("riskAversion γ", riskAversion), ("orderBookLiquidity κ", orderBookLiquidity), ("horizon τ", horizon)]
        where !(value.isFinite && value > 0) {
            throw TradingError(.invalidConfig, "Avellaneda–Stoikov \(name) must be positive and finite, got \(value)")
        }
        self.riskAversion = riskAversion
        self.orderBookLiquidity = orderBookLiquidity
        self.horizon = horizon
    }

    /// The quote pair for mid `mid`, inventory `inventory` (base, relative to target) and
    /// volatility `volatility` (σ per time unit, e.g. from `volatility(mids:)`).
    public func quote(mid: Double, inventory: Double, volatility: Double) throws(TradingError) -> ReservationQuote {
        guard mid.isFinite, mid > 0 else { throw TradingError(.invalidPrice, "mid must be positive and finite, got \(mid)") }
        guard inventory.isFinite else { throw TradingError(.invalidQuantity, "inventory must be finite, got \(inventory)") }
        guard volatility.isFinite, volatility >= 0 else {
            throw TradingError(.invalidConfig, "volatility must be finite and not negative, got \(volatility)")
        }
        let gamma = riskAversion
        let risk = gamma * volatility * volatility * horizon
        let reservation = mid - inventory * risk
        let spread = risk + (2 / gamma) * naturalLog(1 + gamma / orderBookLiquidity)
        guard reservation.isFinite, spread.isFinite else {
            throw TradingError(.invalidConfig, "Avellaneda–Stoikov quote overflowed for mid \(mid), inventory \(inventory)")
        }
        return ReservationQuote(reservationPrice: reservation, spread: spread)
    }

    /// σ per sampling interval estimated from recent mids, oldest first: the sample
    /// standard deviation of their log returns. Nil with fewer than three usable mids.
    public static func volatility(mids: [Double]) -> Double? {
        Indicators.realizedVolatility(mids)
    }
}

/// A reservation price and the total spread around it.
public struct ReservationQuote: Sendable, Hashable, Codable {
    /// r, the price at which the quoter is indifferent to trading.
    public var reservationPrice: Double
    /// δ, ask − bid.
    public var spread: Double

    /// r − δ/2.
    public var bid: Double { reservationPrice - spread / 2 }
    /// r + δ/2.
    public var ask: Double { reservationPrice + spread / 2 }
}
