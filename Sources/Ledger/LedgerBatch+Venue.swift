import Trading

extension LedgerBatch {
    /// What `operation` changed on `venue`, which must be the venue right after the call,
    /// with `mark` taken right before it; `timestampMicros` is the time passed to the call.
    ///
    /// The adapter stays at three lines per call:
    /// ```swift
    /// let mark = LedgerMark(&venue)
    /// let result = venue.submit(request, at: now)
    /// try ledger.record(LedgerBatch(.submit(request, result), venue: venue, since: mark, at: now))
    /// ```
    /// A replayed client order id, a cancel or replace of nothing, and a quote that changed
    /// nothing give an empty batch, which `LedgerStore.record` skips.
    public init(_ operation: VenueOperation, venue: borrowing SimulatedVenue, since mark: LedgerMark, at timestampMicros: Int64) {
        // The venue is borrowed, never copied: a copy retains and releases each of its many
        // collections, thousands of instructions on every order.
        var builder = BatchBuilder(mark: mark, at: timestampMicros)
        switch operation {
        case .submit(let request, let result):
            // Every executed submit issues an order id; a replay issues none.
            if venue.ordersSubmitted > mark.ordersSubmitted { builder.issued(request, result, venue) }
        case .quote(let fills):
            for fill in fills { builder.filled(fill, venue) }
            var seen = Set<String>()
            for fill in fills where seen.insert(fill.orderId).inserted { builder.restingFilled(fill.orderId, venue) }
        case .cancel(let orderId, let result):
            guard let result else { break }
            builder.touch(account: result.account, symbol: result.symbol)
            builder.batch.restingRemovals.append(orderId)
            builder.batch.statusChanges.append(LedgerStatusChange(orderId: orderId, status: .cancelled))
        case .replace(let original, let newQty, let newLimitPrice, let result):
            guard let result else { break }
            builder.touch(account: original.account, symbol: original.symbol)
            if let restored = venue.restingRecord(id: original.orderId) {
                // The replacement was refused and the original went back with its place in
                // the queue; its reservation was released and taken again.
                builder.batch.restingUpserts.append(restored)
            } else {
                builder.batch.restingRemovals.append(original.orderId)
                builder.batch.statusChanges.append(LedgerStatusChange(orderId: original.orderId, status: .cancelled))
            }
            // The same request `SimulatedVenue.replace` builds.
            let request = OrderRequest(
                clientOrderId: original.clientOrderId, account: original.account, symbol: original.symbol,
                side: original.side, type: .limit, qty: newQty ?? original.remainingQty,
                limitPrice: newLimitPrice ?? original.limitPrice)
            builder.issued(request, result, venue)
        case .funding(let settlement):
            builder.batch.funding = settlement.payments
            builder.batch.fundingTimes = settlement.clock
            for payment in settlement.payments { builder.touch(account: payment.account, symbol: payment.symbol) }
        }
        self = builder.finish(venue)
    }
}

/// Accumulates one operation's rows, replaying its fills on the marked positions and
/// balances so each fill carries the balances right after it.
///
/// The replay keeps only the slots the operation's fills moved (an order moves one record and
/// two balances), over their values before the operation (the venue's `changes`, or the venue
/// itself for a slot the operation left alone): its cost follows the fills, not the venue's
/// accounts and symbols. The venue after the operation is passed to each step that reads it,
/// borrowed.
private struct BatchBuilder {
    let mark: LedgerMark
    let timestampMicros: Int64
    var batch = LedgerBatch()
    /// The trading records the fills so far moved, by slot in `tradingRecordSlots`.
    var records: [(slot: Int, position: Position)] = []
    /// The asset balances the fills so far moved, by slot in `balanceSlots`.
    var balances: [(slot: Int, amount: AssetAmount)] = []
    var touched: [PositionKey] = []

    init(mark: LedgerMark, at timestampMicros: Int64) {
        self.mark = mark
        self.timestampMicros = timestampMicros
    }

    /// The record in `slot` as the fills so far left it.
    func record(_ slot: Int, _ venue: borrowing SimulatedVenue) -> Position {
        if let moved = records.first(where: { $0.slot == slot }) { return moved.position }
        if let before = venue.changes.recordBefore(slot) { return before }
        return venue.tradingRecord(slot: slot)
    }

    /// The balance in `slot` as the fills so far left it.
    func balance(_ slot: Int, _ venue: borrowing SimulatedVenue) -> AssetAmount {
        if let moved = balances.first(where: { $0.slot == slot }) { return moved.amount }
        if let before = venue.changes.balanceBefore(slot) { return before }
        return venue.balance(slot: slot)
    }

    mutating func setRecord(_ slot: Int, _ position: Position) {
        if let index = records.firstIndex(where: { $0.slot == slot }) { records[index].position = position } else { records.append((slot, position)) }
    }

    mutating func setBalance(_ slot: Int, _ amount: AssetAmount) {
        if let index = balances.firstIndex(where: { $0.slot == slot }) {
            balances[index].amount = amount
        } else {
            // A fill moves two balances: room for both at once.
            if balances.isEmpty { balances.reserveCapacity(2) }
            balances.append((slot, amount))
        }
    }

    /// The running balances of `symbol`'s two assets for `account`; nil for an unknown one.
    func holdings(account: String, symbol: String, _ venue: borrowing SimulatedVenue) -> Balance? {
        guard let slots = venue.slots(account: account, symbol: symbol) else { return nil }
        return Balance(base: Quantity(raw: balance(slots.base, venue).raw), quote: Money(raw: balance(slots.quote, venue).raw))
    }

    /// An order that just got its id: the result, its fills or rejection, its resting order.
    mutating func issued(_ request: OrderRequest, _ result: OrderResult, _ venue: borrowing SimulatedVenue) {
        batch.orders.append(LedgerOrder(
            request: request, result: result, number: venue.ordersSubmitted,
            isRemembered: venue.remembers(orderId: result.orderId, account: result.account, clientOrderId: result.clientOrderId),
            timestampMicros: timestampMicros))
        touch(account: result.account, symbol: result.symbol)
        for fill in result.fills { filled(fill, venue) }
        if result.status == .rejected {
            let held = holdings(account: result.account, symbol: result.symbol, venue)
            batch.events.append(LedgerEvent(rejected: result, price: price(of: request, venue), holdings: held, at: timestampMicros))
        }
        if let resting = venue.restingRecord(id: result.orderId) { batch.restingUpserts.append(resting) }
    }

    mutating func filled(_ fill: Fill, _ venue: borrowing SimulatedVenue) {
        if let slots = venue.slots(account: fill.account, symbol: fill.symbol) {
            var position = record(slots.record, venue)
            let before = (position.base, position.quote)
            position.apply(fill)
            setRecord(slots.record, position)
            setBalance(slots.base, balance(slots.base, venue) + AssetAmount(raw: (position.base - before.0).raw))
            setBalance(slots.quote, balance(slots.quote, venue) + AssetAmount(raw: (position.quote - before.1).raw))
        }
        let after = holdings(account: fill.account, symbol: fill.symbol, venue) ?? Balance()
        batch.events.append(LedgerEvent(fill: fill, after: after))
        touch(account: fill.account, symbol: fill.symbol)
    }

    /// A resting order a quote reached: still resting with progress, or done.
    mutating func restingFilled(_ orderId: String, _ venue: borrowing SimulatedVenue) {
        if let resting = venue.restingRecord(id: orderId) {
            batch.restingUpserts.append(resting)
            batch.statusChanges.append(LedgerStatusChange(orderId: orderId, status: .partiallyFilled))
        } else {
            batch.restingRemovals.append(orderId)
            batch.statusChanges.append(LedgerStatusChange(orderId: orderId, status: .filled))
        }
    }

    mutating func touch(account: String, symbol: String) {
        let key = PositionKey(account: account, symbol: symbol)
        if !touched.contains(key) { touched.append(key) }
    }

    /// The limit, or for a market order the touch it met; slippage is left out because a
    /// rejected order never got a fill price.
    private func price(of request: OrderRequest, _ venue: borrowing SimulatedVenue) -> Price? {
        if let limit = request.limitPrice, request.type == .limit { return limit }
        guard let touch = venue.touch(for: request.symbol) else { return nil }
        return request.side == .buy ? touch.ask : touch.bid
    }

    /// The batch, with the balances of every position the operation touched or changed and
    /// every asset balance of their accounts. Consumes the builder: its rows move into the
    /// batch without a copy.
    consuming func finish(_ venue: borrowing SimulatedVenue) -> LedgerBatch {
        #if DEBUG
        let noted = mark.changesAreNoted(in: venue)
        assert(noted, "the venue changed a trading record or balance without noting it in `changes`")
        #endif
        // Positions can change without a fill: the first quote of a symbol values starting
        // base at its mid. The venue's `changes` note that too.
        var changed: [PositionKey] = []
        for (slot, before) in venue.changes.records {
            let now = venue.tradingRecord(slot: slot)
            guard now != before else { continue }
            let key = PositionKey(account: now.account, symbol: now.symbol)
            if !touched.contains(key) { changed.append(key) }
        }
        if !changed.isEmpty { touched += changed.sorted() }
        // Accounts in the order their first position comes; an order touches one.
        var accounts: [String] = []
        for key in touched {
            // Unknown accounts and symbols have no holdings to store.
            guard let position = venue.tradingRecord(account: key.account, symbol: key.symbol),
                  let reserved = venue.reservedFunds(account: key.account, symbol: key.symbol) else { continue }
            batch.balances.append(LedgerBalance(position: position, reserved: reserved))
            if !accounts.contains(key.account) { accounts.append(key.account) }
        }
        for account in accounts {
            guard let rows = venue.assetBalances(account: account) else { continue }
            if batch.assetBalances.isEmpty { batch.assetBalances = rows } else { batch.assetBalances += rows }
        }
        if venue.ordersSubmitted != mark.ordersSubmitted { batch.ordersSubmitted = venue.ordersSubmitted }
        return batch
    }
}
