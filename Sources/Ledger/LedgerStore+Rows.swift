import GRDB
import Trading

/// The SQL of one batch's rows. Cached statements: the same few run for every order.
extension LedgerStore {
    static func insert(_ order: LedgerOrder, request: String, result: String, _ db: Database) throws {
        let r = order.result
        try db.cachedStatement(sql: """
            INSERT INTO orders (order_id, number, account, client_order_id, symbol, side, type, status, remembered, request, result, ts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                r.orderId, order.number, r.account, r.clientOrderId, r.symbol, r.side.rawValue, r.type.rawValue,
                r.status.rawValue, order.isRemembered, request, result, order.timestampMicros,
            ])
    }

    static func update(_ change: LedgerStatusChange, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE orders SET status = ? WHERE order_id = ?")
            .execute(arguments: [change.status.rawValue, change.orderId])
        guard db.changesCount == 1 else { throw LedgerError("status change for order \(change.orderId), which the ledger does not hold") }
    }

    static func insert(_ event: LedgerEvent, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO events (ts, event_type, order_id, client_order_id, account, symbol, side, price, qty, fee, base, quote,
                                total_value, reason_code, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                event.timestampMicros, event.kind.rawValue, event.orderId, event.clientOrderId, event.account, event.symbol,
                event.side.rawValue, event.price, event.qty, event.fee, event.base, event.quote, event.totalValue,
                event.reasonCode, event.reason,
            ])
    }

    static func removeResting(_ orderId: String, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM resting_orders WHERE order_id = ?").execute(arguments: [orderId])
        guard db.changesCount == 1 else { throw LedgerError("order \(orderId) left the book but the ledger has it not resting") }
    }

    static func upsert(_ order: RestingOrderRecord, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO resting_orders (order_id, client_order_id, account, symbol, side, limit_price, qty, filled_qty,
                                        reserved_quote, sequence, ts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (order_id) DO UPDATE SET
                client_order_id = excluded.client_order_id, account = excluded.account, symbol = excluded.symbol,
                side = excluded.side, limit_price = excluded.limit_price, qty = excluded.qty,
                filled_qty = excluded.filled_qty, reserved_quote = excluded.reserved_quote,
                sequence = excluded.sequence, ts = excluded.ts
            """).execute(arguments: [
                order.orderId, order.clientOrderId, order.account, order.symbol, order.side.rawValue, order.limitPrice,
                order.qty, order.filledQty, order.reservedQuote, order.sequence, order.submittedAtMicros,
            ])
    }

    static func upsert(_ balance: LedgerBalance, _ db: Database) throws {
        let p = balance.position
        let held = balance.reserved
        guard held.account == p.account, held.symbol == p.symbol else {
            throw LedgerError("balance of \(p.account) \(p.symbol) comes with the reservation of \(held.account) \(held.symbol)")
        }
        try db.cachedStatement(sql: """
            INSERT INTO positions (account, symbol, base, quote_flow, average_entry_price, realized_pnl, fees_paid,
                                   reserved_quote, reserved_base, pending_buy_qty)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (account, symbol) DO UPDATE SET
                base = excluded.base, quote_flow = excluded.quote_flow, average_entry_price = excluded.average_entry_price,
                realized_pnl = excluded.realized_pnl, fees_paid = excluded.fees_paid,
                reserved_quote = excluded.reserved_quote, reserved_base = excluded.reserved_base,
                pending_buy_qty = excluded.pending_buy_qty
            """).execute(arguments: [
                p.account, p.symbol, p.base, p.quote, p.averageEntryPrice, p.realizedPnl, p.feesPaid,
                held.quote, held.base, held.buyQty,
            ])
    }

    static func upsert(_ balance: AccountAssetBalance, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO asset_balances (account, asset, amount) VALUES (?, ?, ?)
            ON CONFLICT (account, asset) DO UPDATE SET amount = excluded.amount
            """).execute(arguments: [balance.account, balance.asset, balance.amount])
    }

    static func insert(_ payment: FundingPayment, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO funding (account, symbol, funding_time, ts, base, mark, rate_bps, amount, asset)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [payment.account, payment.symbol, payment.fundingTimeMicros, payment.timestampMicros,
                                     payment.base, payment.mark, payment.rateBps, payment.amount, payment.asset])
    }

    static func setFundingClock(symbol: String, time: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO funding_clock (symbol, funding_time) VALUES (?, ?)
            ON CONFLICT (symbol) DO UPDATE SET funding_time = excluded.funding_time
            """).execute(arguments: [symbol, time])
    }
}
