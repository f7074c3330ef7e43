extension SimulatedVenue {
    /// The most funding times one settlement pays per symbol: after a long stop (the venue was
    /// down) the most recent ones are paid and the older ones are reported as skipped.
    public static let fundingCatchUpLimit = 24

    /// Settles funding of every quoted symbol with `FundingTerms` whose next funding time `at`
    /// has reached: for each funding time passed since the symbol's last settled one, each
    /// margin account with a position in it is credited `FundingTerms.credit` on its collateral
    /// (the symbol's quote asset), at the symbol's current mid, as a payment of its own. The
    /// amount is also booked on the position's quote flow and realized PnL, so balances stay
    /// what the positions imply and a ledger of positions restores them.
    ///
    /// Funding times are whole multiples of the interval since the epoch. Without a settled
    /// funding time (a new venue, or none restored) the first call after the symbol's first
    /// quote only starts the clock at the latest multiple not after `at`. Several funding
    /// times passed at once (the venue was stopped, or the clock jumped) are each paid, at the
    /// mark now and on the positions now (nothing trades while the venue is stopped), the
    /// most recent `fundingCatchUpLimit` at most. A payment that would leave the fixed-point
    /// range is skipped. Spot accounts never pay. Call it after each quote update, before
    /// liquidating: funding moves equity.
    public mutating func settleFunding(at timestampMicros: Int64) -> FundingSettlement {
        var settlement = FundingSettlement()
        for s in symbols.indices {
            guard let terms = rules[s].funding, let touch = touches[s], let rate = terms.rateUnits else { continue }
            let interval = terms.intervalMicros
            let latest = Self.boundary(atOrBefore: timestampMicros, interval: interval)
            guard let last = fundingClock[s] else {
                fundingClock[s] = latest
                settlement.clock[symbols[s]] = latest
                continue
            }
            guard latest > last else { continue }
            let passed = (latest - last) / interval
            let paid = min(passed, Int64(Self.fundingCatchUpLimit))
            if passed > paid { settlement.skipped[symbols[s]] = Int(passed - paid) }
            fundingClock[s] = latest
            settlement.clock[symbols[s]] = latest
            let step = rules[s].quoteStep, quoteAsset = assets.bySymbol[s].quote
            for back in stride(from: paid - 1, through: 0, by: -1) {
                let fundingTime = latest - back * interval
                for account in accountNames.indices where marginTerms[account] != nil {
                    let slot = slot(account: account, symbol: s), base = positionSlots[slot].base
                    guard !base.isZero, let amount = try? terms.credit(base: base, mark: touch.mid, step: step), !amount.isZero,
                          credit(slot: slot, asset: quoteAsset, amount: amount) else { continue }
                    settlement.payments.append(FundingPayment(
                        account: accountNames[account], symbol: symbols[s], fundingTimeMicros: fundingTime, timestampMicros: timestampMicros,
                        base: base, mark: touch.mid, rateBps: Double(rate) / 10_000, amount: amount, asset: assets.names[quoteAsset]))
                }
            }
        }
        return settlement
    }

    /// The next funding time of `symbol`, nil without funding terms or before its clock started.
    public func nextFunding(symbol: String) -> Int64? {
        guard let s = symbolIndex[symbol], let terms = rules[s].funding, let last = fundingClock[s] else { return nil }
        return last + terms.intervalMicros
    }

    /// The latest settled funding time of every symbol whose clock has started: what a
    /// snapshot keeps and `restore` puts back.
    public var fundingTimes: [String: Int64] {
        var times: [String: Int64] = [:]
        for (s, time) in fundingClock.enumerated() { if let time { times[symbols[s]] = time } }
        return times
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
        changes.record(slot, before: positionSlots[slot])
        changes.balance(holding, before: holdings[holding])
        positionSlots[slot].quote = quote
        positionSlots[slot].realizedPnl = pnl
        holdings[holding] = held
        return true
    }
}
