/// The capping step of `RiskAssessor`, once a trade has passed the confidence rules.
struct RiskSizing {
    let side: Side
    let price: Double
    let capital: Double
    let position: Position
    /// Quantity from `OrderSizer` before caps, in base units.
    let sizedQty: Double
    let limits: RiskLimits

    private var exposureCapQuote: Double { capital * limits.maxInventoryExposurePct }

    func buy() -> RiskDecision {
        let exposureRoom = exposureCapQuote / price - position.base
        let cashRoom = position.quote / (price * (1 + limits.feeAllowanceBps / 10_000))
        let qty = min(sizedQty, exposureRoom, cashRoom)
        guard qty > 0 else {
            if exposureRoom <= cashRoom {
                return .refused(price: price, limit: "maxInventoryExposurePct",
                                "exposure limit reached: holding \(NumberText.units(position.base)) base worth "
                                    + "\(NumberText.money(position.base * price)) against a cap of \(NumberText.money(exposureCapQuote)) "
                                    + "(\(NumberText.percent(limits.maxInventoryExposurePct)) of capital \(NumberText.money(capital)))")
            }
            return .refused(price: price, limit: "quoteBalance",
                            "no quote to buy with: account holds \(NumberText.money(position.quote)) quote")
        }
        if qty == sizedQty { return approved(qty, cap: nil) }
        if qty == exposureRoom {
            return approved(qty, cap: ("maxInventoryExposurePct",
                                       "capped by the exposure limit of \(NumberText.money(exposureCapQuote)) quote"))
        }
        return approved(qty, cap: ("quoteBalance",
                                   "capped by \(NumberText.money(position.quote)) quote on hand less a "
                                       + "\(NumberText.fixed(limits.feeAllowanceBps, 1)) bps fee allowance"))
    }

    func spotSell() -> RiskDecision {
        guard position.base > 0 else {
            return .refused(price: price, limit: "baseBalance",
                            "no base to sell: account holds \(NumberText.units(position.base)) base")
        }
        guard position.base < sizedQty else { return approved(sizedQty, cap: nil) }
        return approved(position.base, cap: ("baseBalance", "capped by the \(NumberText.units(position.base)) base held"))
    }

    /// A short may grow until it is worth the exposure fraction of capital.
    func shortableSell() -> RiskDecision {
        let shortRoom = position.base + exposureCapQuote / price
        guard shortRoom > 0 else {
            return .refused(price: price, limit: "maxInventoryExposurePct",
                            "exposure limit reached: short \(NumberText.units(-position.base)) base worth "
                                + "\(NumberText.money(-position.base * price)) against a cap of \(NumberText.money(exposureCapQuote))")
        }
        guard shortRoom < sizedQty else { return approved(sizedQty, cap: nil) }
        return approved(shortRoom, cap: ("maxInventoryExposurePct",
                                         "capped by the exposure limit of \(NumberText.money(exposureCapQuote)) quote"))
    }

    private func approved(_ qty: Double, cap: (limit: String, note: String)?) -> RiskDecision {
        var reason = "\(side.rawValue) \(NumberText.units(qty)) at \(NumberText.price(price)) for "
            + "\(NumberText.money(qty * price)) quote: \(NumberText.percent(limits.orderSizePct)) of capital \(NumberText.money(capital))"
        if let cap { reason += ", " + cap.note }
        return .approved(qty: qty, price: price, limit: cap?.limit, reason)
    }
}
