extension SimulatedVenue {
    /// The venue's durable state: every position and reservation, the book oldest first,
    /// the remembered client-order-id results held in memory, the latest quotes and the
    /// funding clock.
    public func snapshot() -> VenueSnapshot {
        var quotesBySymbol: [String: MarketQuote] = [:]
        for (index, quote) in quotes.enumerated() {
            if let quote { quotesBySymbol[symbols[index]] = quote }
        }
        let balances = accountNames.enumerated().flatMap { assetBalances(account: $0.offset, named: $0.element) }
        return VenueSnapshot(
            ordersSubmitted: ordersSubmitted, positions: positionSlots, balances: balances,
            reservations: positionSlots.indices.map(reservedFunds(slot:)),
            restingOrders: openOrders.map(RestingOrderRecord.init(resting:)),
            rememberedResults: clientOrders.results, quotes: quotesBySymbol, fundingTimes: fundingTimes)
    }

    /// The resting order `orderId` with its queue sequence, nil once it is filled,
    /// cancelled or was never resting. What a store keeps to rebuild the book.
    public func restingRecord(id orderId: String) -> RestingOrderRecord? {
        restingOrder(id: orderId).map(RestingOrderRecord.init(resting:))
    }

    /// Funds `account` has promised to resting orders in `symbol`, exactly as the venue
    /// holds them; nil if the account or symbol is unknown.
    public func reservedFunds(account: String, symbol: String) -> ReservedFunds? {
        guard let a = accountIndex[account], let s = symbolIndex[symbol] else { return nil }
        return reservedFunds(slot: slot(account: a, symbol: s))
    }

    /// The result a resubmission of `clientOrderId` by `account` would replay, nil if the
    /// venue remembers none. A store compares it with a fresh result to tell whether that
    /// result is the one to keep for replay.
    public func rememberedResult(account: String, clientOrderId: String) -> OrderResult? {
        guard let a = accountIndex[account] else { return nil }
        return clientOrders.result(for: ClientOrderKey(account: a, clientOrderId: clientOrderId), names: accountNames)
    }

    /// Whether `rememberedResult(account:clientOrderId:)` is the result of order `orderId`,
    /// told without building that result (a ledger batch asks it of every order).
    public func remembers(orderId: String, account: String, clientOrderId: String) -> Bool {
        guard let a = accountIndex[account] else { return false }
        return clientOrders.remembers(orderId, for: ClientOrderKey(account: a, clientOrderId: clientOrderId), names: accountNames) ?? false
    }

    /// Puts back a state saved by `snapshot()` or kept by a store, into a venue built with
    /// the same configuration that has not taken an order yet (quotes may already be set).
    ///
    /// Afterwards the venue behaves exactly as the one that was saved: same positions,
    /// same book in the same queue order, same reservations, same replies to retried client order ids, the next
    /// order id continues the count, and funding carries on from the last settled funding time. Quotes in the snapshot are set without matching,
    /// because the saved venue already matched them.
    ///
    /// Everything is checked before anything changes, so a refused snapshot leaves the
    /// venue untouched. Refused: an unknown account or symbol, a duplicate position,
    /// order id, sequence or client order id, an order that is not a positive open quantity
    /// at a positive limit, a sequence beyond `ordersSubmitted`, a quote whose bid or ask is
    /// not a positive finite price, reservations that differ from the sum over the resting
    /// orders, and asset balances that differ from what the positions imply.
    public mutating func restore(_ snapshot: VenueSnapshot) throws(TradingError) {
        guard ordersSubmitted == 0, restingOrders.isEmpty, clientOrders.count == 0 else {
            throw TradingError(.invalidConfig, "restore needs a venue that has taken no order yet; this one has issued \(ordersSubmitted)")
        }
        guard snapshot.ordersSubmitted >= 0 else {
            throw TradingError(.invalidConfig, "restored ordersSubmitted must not be negative, got \(snapshot.ordersSubmitted)")
        }
        let restoredSlots = try restoredPositions(snapshot.positions)
        let restoredHoldings = try restoredHoldings(positions: restoredSlots, stored: snapshot.balances)
        var restoredBooks = Array(repeating: RestingBook(), count: symbols.count)
        var locations: [String: (symbol: Int, side: Side, limitPrice: Price)] = [:]
        var tallies = Array(repeating: Reservation(), count: positionSlots.count)
        var sequences = Set<Int>()
        // By sequence, so the reservation totals add up in submission order.
        for record in snapshot.restingOrders.sorted(by: { $0.sequence < $1.sequence }) {
            let order = try restingOrder(from: record, ordersSubmitted: snapshot.ordersSubmitted)
            let symbol = order.positionSlot % symbols.count
            guard locations.updateValue((symbol, order.side, order.limitPrice), forKey: order.orderId) == nil,
                  sequences.insert(order.sequence).inserted
            else {
                throw TradingError(.invalidConfig, "restored order \(order.orderId) repeats an order id or sequence (\(order.sequence))")
            }
            restoredBooks[symbol].insert(order)
            switch order.side {
            case .buy: tallies[order.positionSlot].reserve(quote: order.reservedQuote, qty: order.remainingQty)
            case .sell: tallies[order.positionSlot].reserve(base: order.remainingQty)
            }
        }
        let restoredReservations = try restoredReservations(from: tallies, stored: snapshot.reservations)
        var restoredClientOrders = try ClientOrderWindow(restoring: snapshot.rememberedResults, accounts: accountIndex)
        if let limit = clientOrders.limit {
            try restoredClientOrders.bound(to: limit.count, archive: limit.archive, accounts: accountIndex)
        }
        var restoredQuotes = quotes
        var restoredTouches = touches
        for (symbol, quote) in snapshot.quotes.sorted(by: { $0.key < $1.key }) {
            guard let s = symbolIndex[symbol] else {
                throw TradingError(.unknownSymbol, "restored quote for unlisted symbol \(symbol)")
            }
            guard let touch = Touch(quote, tickSize: rules[s].tickSize) else {
                throw TradingError(.invalidPrice, "restored \(symbol) quote must have positive finite bid and ask and a finite last")
            }
            restoredQuotes[s] = quote
            restoredTouches[s] = touch
        }
        var restoredClock = fundingClock
        for (symbol, time) in snapshot.fundingTimes {
            guard let s = symbolIndex[symbol] else {
                throw TradingError(.unknownSymbol, "restored funding time for unlisted symbol \(symbol)")
            }
            restoredClock[s] = time
        }
        // Everything checked; from here on nothing can fail.
        ordersSubmitted = snapshot.ordersSubmitted
        positionSlots = restoredSlots
        holdings = restoredHoldings
        reservations = restoredReservations
        books = restoredBooks
        restingOrders = locations
        clientOrders = restoredClientOrders
        quotes = restoredQuotes
        touches = restoredTouches
        fundingClock = restoredClock
        changes.stop()
    }

    func reservedFunds(slot: Int) -> ReservedFunds {
        let held = reservations[slot]
        let position = positionSlots[slot]
        return ReservedFunds(account: position.account, symbol: position.symbol,
                             quote: held.quote, base: held.base, buyQty: held.buyQty)
    }

    private func slot(account: String, symbol: String, for what: String) throws(TradingError) -> Int {
        guard let a = accountIndex[account] else {
            throw TradingError(.unknownAccount, "\(what) names unknown account \"\(account)\"")
        }
        guard let s = symbolIndex[symbol] else {
            throw TradingError(.unknownSymbol, "\(what) names unlisted symbol \"\(symbol)\"")
        }
        return slot(account: a, symbol: s)
    }

    private func restoredPositions(_ positions: [Position]) throws(TradingError) -> [Position] {
        var restored = positionSlots
        var seen = Set<Int>()
        for position in positions {
            let what = "restored position \(position.account) \(position.symbol)"
            let index = try slot(account: position.account, symbol: position.symbol, for: what)
            guard seen.insert(index).inserted else { throw TradingError(.invalidConfig, "\(what) is given twice") }
            restored[index] = position
        }
        return restored
    }

    /// Balances are what the positions imply; stored ones must equal them.
    private func restoredHoldings(positions: [Position], stored: [AccountAssetBalance]) throws(TradingError) -> [AssetAmount] {
        guard let derived = derivedHoldings(positions: positions) else {
            throw TradingError(.invalidConfig, "restored positions add up to balances beyond ±92233720368.54775807")
        }
        for balance in stored {
            guard let a = accountIndex[balance.account], let n = assets[balance.asset] else {
                throw TradingError(.invalidConfig, "restored balance names unknown account \"\(balance.account)\" or asset \"\(balance.asset)\"")
            }
            let implied = derived[holdingSlot(account: a, asset: n)]
            guard implied == balance.amount else {
                throw TradingError(.invalidConfig, "restored balance \(balance.account) \(balance.asset) is \(balance.amount) "
                    + "but the restored positions imply \(implied)")
            }
        }
        return derived
    }

    private func restingOrder(from record: RestingOrderRecord, ordersSubmitted: Int) throws(TradingError) -> RestingOrder {
        let what = "restored order \(record.orderId)"
        let index = try slot(account: record.account, symbol: record.symbol, for: what)
        guard !record.orderId.isEmpty else { throw TradingError(.invalidConfig, "restored order has an empty order id") }
        guard record.qty.isPositive, !record.filledQty.isNegative, record.filledQty < record.qty
        else {
            throw TradingError(.invalidQuantity, "\(what) needs 0 ≤ filled < qty, got \(record.filledQty) of \(record.qty)")
        }
        guard record.limitPrice.isPositive else {
            throw TradingError(.invalidPrice, "\(what) needs a positive limit price, got \(record.limitPrice)")
        }
        guard record.side == .buy ? !record.reservedQuote.isNegative : record.reservedQuote.isZero else {
            throw TradingError(.invalidConfig, "\(what) reserves \(record.reservedQuote) quote; a buy's must not be negative, a sell's 0")
        }
        guard record.sequence >= 1, record.sequence <= ordersSubmitted else {
            throw TradingError(.invalidConfig, "\(what) has sequence \(record.sequence), outside 1...\(ordersSubmitted) orders submitted")
        }
        return RestingOrder(
            orderId: record.orderId, clientOrderId: record.clientOrderId, account: record.account,
            symbol: record.symbol, side: record.side, qty: record.qty, filledQty: record.filledQty,
            limitPrice: record.limitPrice, reservedQuote: record.reservedQuote,
            submittedAtMicros: record.submittedAtMicros, sequence: record.sequence, positionSlot: index)
    }

    /// Reservations are the sums over the resting orders; stored ones must equal them.
    private func restoredReservations(from tallies: [Reservation], stored: [ReservedFunds]) throws(TradingError) -> [Reservation] {
        var seen = Set<Int>()
        for funds in stored {
            let what = "restored reservation \(funds.account) \(funds.symbol)"
            let index = try slot(account: funds.account, symbol: funds.symbol, for: what)
            guard seen.insert(index).inserted else { throw TradingError(.invalidConfig, "\(what) is given twice") }
            let tally = tallies[index]
            for (name, kept, summed) in [("quote", funds.quote.description, tally.quote.description),
                                         ("base", funds.base.description, tally.base.description),
                                         ("buy qty", funds.buyQty.description, tally.buyQty.description)] where kept != summed {
                throw TradingError(.invalidConfig, "\(what) holds \(name) \(kept) but its resting orders need \(summed)")
            }
        }
        return tallies
    }
}

extension RestingOrderRecord {
    init(resting order: RestingOrder) {
        self.init(
            orderId: order.orderId, clientOrderId: order.clientOrderId, account: order.account,
            symbol: order.symbol, side: order.side, qty: order.qty, filledQty: order.filledQty,
            limitPrice: order.limitPrice, reservedQuote: order.reservedQuote,
            submittedAtMicros: order.submittedAtMicros, sequence: order.sequence)
    }
}
