extension SimulatedVenue {
    /// Settles funding of every symbol with `FundingTerms` whose next funding time `at` has
    /// reached: each margin account with a position in it is credited `FundingTerms.credit`
    /// on its collateral (the symbol's quote asset), at the symbol's current mid. The amount is
    /// also booked on the position's quote flow and realized PnL, so balances stay what the
    /// positions imply and a ledger of positions restores them.
    ///
    /// Funding times are whole multiples of the interval since the epoch. A symbol's first
    /// funding time is the first one after its first quote; a call that finds several funding
    /// times passed (the clock jumped) pays once, for the latest, and the next is the one
    /// after `at`. The clock is not part of a snapshot: a restored venue starts again at the
    /// first funding time after its first call. A payment that would leave the fixed-point range is skipped. Spot accounts
    /// never pay. Call it after each quote update, before liquidating: funding moves equity.
    public mutating func settleFunding(at timestampMicros: Int64) -> [FundingPayment] {
        var payments: [FundingPayment] = []
        for s in symbols.indices {
            guard let terms = rules[s].funding, let touch = touches[s], let rate = terms.rateUnits else { continue }
            let interval = terms.intervalMicros
            let latest = Self.boundary(atOrBefore: timestampMicros, interval: interval)
            guard let due = fundingDue[s] else {
                fundingDue[s] = latest + interval
                continue
            }
            guard timestampMicros >= due else { continue }
            fundingDue[s] = latest + interval
            let step = rules[s].quoteStep, quoteAsset = assets.bySymbol[s].quote
            for account in accountNames.indices where marginTerms[account] != nil {
                let slot = slot(account: account, symbol: s), base = positionSlots[slot].base
                guard !base.isZero, let amount = try? terms.credit(base: base, mark: touch.mid, step: step), !amount.isZero,
                      credit(slot: slot, asset: quoteAsset, amount: amount) else { continue }
                payments.append(FundingPayment(
                    account: accountNames[account], symbol: symbols[s], fundingTimeMicros: latest, timestampMicros: timestampMicros,
                    base: base, mark: touch.mid, rateBps: Double(rate) / 10_000, amount: amount, asset: assets.names[quoteAsset]))
            }
        }
        return payments
    }

    /// The next funding time of `symbol`, nil before its first quote or without funding terms.
    public func nextFunding(symbol: String) -> Int64? {
        symbolIndex[symbol].flatMap { fundingDue[$0] }
    }

    /// The largest multiple of `interval` not after `time` (towards −∞).
    static func boundary(atOrBefore time: Int64, interval: Int64) -> Int64 {
        let count = time / interval
        return (time % interval != 0 && time < 0 ? count - 1 : count) * interval
    }

    /// Adds `amount` to the position in `slot` (quote flow and realized PnL) and to the
    /// account's balance of `asset`; false, changing nothing, when a number would leave the range.
    private mutating func credit(slot: Int, asset: Int, amount: Money) -> Bool {
        let account = slot / symbols.count, holding = holdingSlot(account: account, asset: asset)
        guard let quote = try? positionSlots[slot].quote.adding(amount),
              let pnl = try? positionSlots[slot].realizedPnl.adding(amount),
              let held = try? holdings[holding].adding(AssetAmount(same: amount)) else { return false }
        positionSlots[slot].quote = quote
        positionSlots[slot].realizedPnl = pnl
        holdings[holding] = held
        return true
    }
}
