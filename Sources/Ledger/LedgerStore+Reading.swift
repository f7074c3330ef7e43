import GRDB
import Trading

extension LedgerStore {
    /// What the venue needs back after a restart, read in one transaction so it is one
    /// consistent moment: `try venue.restore(ledger.venueSnapshot())`, funding clock included. Quotes are not kept;
    /// the venue takes the next quote as usual, filling whatever resting order it crosses.
    public func venueSnapshot() throws -> VenueSnapshot {
        try queue.read { db in
            let count = try Self.ordersSubmitted(db)
            var positions: [Position] = []
            var reservations: [ReservedFunds] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT account, symbol, base, quote_flow, average_entry_price, realized_pnl, fees_paid,
                       reserved_quote, reserved_base, pending_buy_qty
                FROM positions ORDER BY account, symbol
                """)
            while let row = try rows.next() {
                positions.append(Position(account: row[0], symbol: row[1], base: row[2], quote: row[3],
                                          averageEntryPrice: row[4], realizedPnl: row[5], feesPaid: row[6]))
                reservations.append(ReservedFunds(account: row[0], symbol: row[1], quote: row[7], base: row[8], buyQty: row[9]))
            }
            var resting: [RestingOrderRecord] = []
            let orders = try Row.fetchCursor(db, sql: """
                SELECT order_id, client_order_id, account, symbol, side, qty, filled_qty, limit_price, reserved_quote, ts, sequence
                FROM resting_orders ORDER BY sequence
                """)
            while let row = try orders.next() {
                resting.append(RestingOrderRecord(
                    orderId: row[0], clientOrderId: row[1], account: row[2], symbol: row[3], side: try Self.side(row[4]),
                    qty: row[5], filledQty: row[6], limitPrice: row[7], reservedQuote: row[8],
                    submittedAtMicros: row[9], sequence: row[10]))
            }
            let results = try String.fetchAll(db, sql: "SELECT result FROM orders WHERE remembered = 1 ORDER BY number")
                .map { try LedgerJSON.decode(OrderResult.self, from: $0) }
            let balances = try Row.fetchAll(db, sql: "SELECT account, asset, amount FROM asset_balances ORDER BY account, asset")
                .map { AccountAssetBalance(account: $0[0], asset: $0[1], amount: $0[2]) }
            var fundingTimes: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT symbol, funding_time FROM funding_clock") { fundingTimes[row[0]] = row[1] }
            return VenueSnapshot(ordersSubmitted: count, positions: positions, balances: balances, reservations: reservations,
                                 restingOrders: resting, rememberedResults: results, fundingTimes: fundingTimes)
        }
    }

    /// The venue's order counter: the meta row, written only when a batch's own orders do not
    /// tell it, or the highest order number, whichever is larger (0 for an empty ledger).
    static func ordersSubmitted(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT MAX(COALESCE((SELECT value FROM meta WHERE key = ?), 0), COALESCE((SELECT MAX(number) FROM orders), 0))
            """, arguments: [LedgerSchema.ordersSubmittedKey]) ?? 0
    }

    /// Balances per asset recomputed from `initial` (the configured starting balances) plus
    /// every recorded fill in the order the venue applied them and every funding payment, ignoring the stored balances:
    /// after a crash this must equal `balances()` and the restored venue's balances. `pairs`
    /// names each symbol's base and quote asset. Keys in `initial` with no fills come back
    /// unchanged; a fill in a symbol `pairs` does not name is an error.
    public func replayBalances(initial: [AssetKey: AssetAmount], pairs: [String: AssetPair]) throws -> [AssetKey: AssetAmount] {
        var balances = initial
        try queue.read { db in
            let fills = try Row.fetchCursor(db, sql: """
                SELECT order_id, client_order_id, account, symbol, side, price, qty, fee, ts
                FROM events WHERE event_type = 'fill' ORDER BY id
                """)
            while let row = try fills.next() {
                let fill = Fill(orderId: row[0], clientOrderId: row[1], account: row[2], symbol: row[3],
                                side: try Self.side(row[4]), price: row[5], qty: row[6], fee: row[7], timestampMicros: row[8])
                guard let pair = pairs[fill.symbol] else { throw LedgerError("fill of order \(fill.orderId) is in \(fill.symbol), whose assets are not given") }
                // Position.apply is the venue's own arithmetic, so replay matches it bit for bit.
                var moved = Position(account: fill.account, symbol: fill.symbol)
                guard moved.apply(fill) else { throw LedgerError("fill of order \(fill.orderId) cannot be booked") }
                balances[AssetKey(account: fill.account, asset: pair.base), default: 0] += AssetAmount(raw: moved.base.raw)
                balances[AssetKey(account: fill.account, asset: pair.quote), default: 0] += AssetAmount(raw: moved.quote.raw)
            }
            for payment in try Self.fundingPayments(db) {
                balances[AssetKey(account: payment.account, asset: payment.asset), default: 0] += AssetAmount(raw: payment.amount.raw)
            }
        }
        return balances
    }

    /// Every funding payment recorded, by funding time (ties by account, then symbol).
    public func funding() throws -> [FundingPayment] {
        try queue.read { db in try Self.fundingPayments(db) }
    }

    static func fundingPayments(_ db: Database) throws -> [FundingPayment] {
        try Row.fetchAll(db, sql: """
            SELECT account, symbol, funding_time, ts, base, mark, rate_bps, amount, asset
            FROM funding ORDER BY funding_time, account, symbol
            """).map { row in
            FundingPayment(account: row[0], symbol: row[1], fundingTimeMicros: row[2], timestampMicros: row[3],
                           base: row[4], mark: row[5], rateBps: row[6], amount: row[7], asset: row[8])
        }
    }

    /// The stored current balance of every asset of every account the ledger has seen trade or order.
    public func balances() throws -> [AssetKey: AssetAmount] {
        try queue.read { db in
            var all: [AssetKey: AssetAmount] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT account, asset, amount FROM asset_balances") {
                all[AssetKey(account: row[0], asset: row[1])] = row[2]
            }
            return all
        }
    }

    /// Every fill and rejection in time order (ties in recording order).
    public func events() throws -> [LedgerEvent] {
        try queue.read { db in
            var all: [LedgerEvent] = []
            try Self.forEachEvent(db, kind: nil) { all.append($0) }
            return all
        }
    }

    /// Every fill in time order.
    public func fills() throws -> [LedgerEvent] {
        try queue.read { db in
            var all: [LedgerEvent] = []
            try Self.forEachEvent(db, kind: .fill) { all.append($0) }
            return all
        }
    }

    /// Every rejection in time order.
    public func rejections() throws -> [LedgerEvent] {
        try queue.read { db in
            var all: [LedgerEvent] = []
            try Self.forEachEvent(db, kind: .reject) { all.append($0) }
            return all
        }
    }

    /// The result a retry of `clientOrderId` by `account` replays, nil if none is recorded.
    public func rememberedResult(account: String, clientOrderId: String) throws -> OrderResult? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT result FROM orders WHERE remembered = 1 AND account = ? AND client_order_id = ?",
                                arguments: [account, clientOrderId])
        }.map { try LedgerJSON.decode(OrderResult.self, from: $0) }
    }

    /// The latest status of order `orderId` (open, partially filled, filled, cancelled or
    /// rejected), nil if the ledger does not hold it.
    public func status(ofOrder orderId: String) throws -> OrderStatus? {
        let raw = try queue.read { db in
            // By the number, the table's key, which the id carries ("O-" and the number).
            try String.fetchOne(db, sql: "SELECT status FROM orders WHERE number = CAST(substr(?1, 3) AS INTEGER) AND order_id = ?1",
                                arguments: [orderId])
        }
        return try raw.map { raw in
            guard let status = OrderStatus(rawValue: raw) else { throw LedgerError("order \(orderId) has unknown status \(raw)") }
            return status
        }
    }

    /// Streams events to `body` from a cursor, so an export never holds the whole history.
    static func forEachEvent(_ db: Database, kind: LedgerEvent.Kind?, _ body: (LedgerEvent) throws -> Void) throws {
        let filter = kind == nil ? "" : "WHERE event_type = ?"
        let events = try Row.fetchCursor(db, sql: """
            SELECT event_type, ts, order_id, client_order_id, account, symbol, side, price, qty, fee, base, quote,
                   reason_code, reason
            FROM events \(filter) ORDER BY ts, id
            """, arguments: kind.map { [$0.rawValue] } ?? [])
        while let row = try events.next() {
            let rawKind: String = row[0]
            guard let eventKind = LedgerEvent.Kind(rawValue: rawKind) else { throw LedgerError("unknown event type \(rawKind)") }
            guard let qty: Quantity = row[8] else { throw LedgerError("event of order \(row[2] as String) has no quantity") }
            try body(LedgerEvent(
                kind: eventKind, timestampMicros: row[1], orderId: row[2], clientOrderId: row[3], account: row[4],
                symbol: row[5], side: try side(row[6]), price: row[7], qty: qty, fee: row[9],
                base: row[10], quote: row[11], reasonCode: row[12], reason: row[13]))
        }
    }

    static func side(_ raw: String) throws -> Side {
        guard let side = Side(rawValue: raw) else { throw LedgerError("unknown side \(raw)") }
        return side
    }
}
