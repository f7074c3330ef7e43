extension QuoteLadder {
    /// The quotes for a market at `mid` while holding `position` base units with
    /// `unrealizedPnl` quote of paper profit.
    ///
    /// In order: a stop loss or take profit on a non-zero position returns only a flatten
    /// order. Otherwise level i of each side is priced (see `QuotePricing`) in floating
    /// point, made exact (nearest 10⁻⁸) and moved onto the tick grid (bids down, asks up),
    /// sized quantity × `sizeMultipliers` rounded down to 10⁻⁸, and kept only while filling
    /// it and every better level on its side would leave |position| ≤ maxPosition exactly.
    ///
    /// `volatility` (σ per time unit) is required for Avellaneda–Stoikov pricing and
    /// ignored otherwise. Non-finite inputs, a non-positive mid or negative multipliers
    /// are rejected.
    public func plan(
        mid: Double, position: Quantity, unrealizedPnl: Double, volatility: Double? = nil,
        sizeMultipliers: SizeMultipliers = SizeMultipliers()
    ) throws(TradingError) -> QuotePlan {
        guard mid.isFinite, mid > 0 else { throw TradingError(.invalidPrice, "mid must be positive and finite, got \(mid)") }
        guard unrealizedPnl.isFinite else { throw TradingError(.invalidConfig, "unrealized PnL must be finite, got \(unrealizedPnl)") }
        for factor in [sizeMultipliers.bid, sizeMultipliers.ask] where !(factor.isFinite && factor >= 0) {
            throw TradingError(.invalidConfig, "size multipliers must be finite and not negative, got \(factor)")
        }
        if let flatten = flattenOrder(position: position, unrealizedPnl: unrealizedPnl) {
            return QuotePlan(flatten: flatten)
        }
        let (bid, ask) = try levelOne(mid: mid, position: position.double, volatility: volatility)
        let step = mid * spread
        let bidQty = (try? Quantity(rounding: quantity.double * sizeMultipliers.bid, .down)) ?? 0
        let askQty = (try? Quantity(rounding: quantity.double * sizeMultipliers.ask, .down)) ?? 0
        var plan = QuotePlan()
        var bidReach = position, askReach = position
        for level in 1...maxOrders where bidQty.isPositive {
            guard let reach = try? bidReach.adding(bidQty), reach <= maxPosition,
                  let price = exactPrice(bid - step * Double(level - 1), .down), price.isPositive else { break }
            bidReach = reach
            plan.bids.append(QuoteLevel(price: price, qty: bidQty))
        }
        for level in 1...maxOrders where askQty.isPositive {
            guard let reach = try? askReach.subtracting(askQty), reach >= -maxPosition,
                  let price = exactPrice(ask + step * Double(level - 1), .up) else { break }
            askReach = reach
            plan.asks.append(QuoteLevel(price: price, qty: askQty))
        }
        return plan
    }

    /// The boundary from the pricing model to an order: `raw` to the nearest 10⁻⁸, then to
    /// the tick grid in `direction`; nil past the range.
    private func exactPrice(_ raw: Double, _ direction: FloatingPointRoundingRule) -> Price? {
        guard let price = try? Price(rounding: raw, .toNearestOrAwayFromZero) else { return nil }
        guard let tickSize else { return price }
        return direction == .down ? price.roundedDown(toMultipleOf: tickSize) : price.roundedUp(toMultipleOf: tickSize)
    }

    /// Closes everything at market once unrealized PnL reaches either bound.
    private func flattenOrder(position: Quantity, unrealizedPnl: Double) -> FlattenOrder? {
        guard !position.isZero else { return nil }
        let side: Side = position.isPositive ? .sell : .buy
        if let stopLoss, unrealizedPnl <= -abs(stopLoss) {
            return FlattenOrder(side: side, qty: position.magnitude, reason:
                "stop loss: unrealized PnL \(NumberText.money(unrealizedPnl)) is at or below −\(NumberText.money(abs(stopLoss)))")
        }
        if let takeProfit, unrealizedPnl >= takeProfit {
            return FlattenOrder(side: side, qty: position.magnitude, reason:
                "take profit: unrealized PnL \(NumberText.money(unrealizedPnl)) reached \(NumberText.money(takeProfit))")
        }
        return nil
    }

    /// Unrounded level-one bid and ask.
    private func levelOne(mid: Double, position: Double, volatility: Double?) throws(TradingError) -> (Double, Double) {
        switch pricing {
        case .symmetric:
            let deviation = position - targetPosition
            // Past the threshold both quotes move by a fraction of the level step against
            // the position: long → both lower, so asks get hit and bids less. Moving only
            // the bid down and the ask up (98.5 / 101.5 for +2.5 at skew 0.5) would make
            // selling harder, against the aim of the skew, so both move: 98.5 / 100.5.
            let shift = abs(deviation) > positionThreshold ? -deviation.signOf * inventorySkew * mid * spread : 0
            return (mid * (1 - spread) + shift, mid * (1 + spread) + shift)
        case .avellanedaStoikov(let model):
            guard let volatility else {
                throw TradingError(.invalidConfig, "Avellaneda–Stoikov pricing needs a volatility estimate")
            }
            let quote = try model.quote(mid: mid, inventory: position - targetPosition, volatility: volatility)
            return (quote.bid, quote.ask)
        }
    }
}

private extension Double {
    /// +1, −1 or 0.
    var signOf: Double { self > 0 ? 1 : (self < 0 ? -1 : 0) }
}
