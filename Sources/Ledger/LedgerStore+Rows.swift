import GRDB
import Trading

/// The SQL of one batch's rows. Statements prepared once (`PreparedStatements`), bound through
/// `ParameterBinder`: the same few run for every order.
extension LedgerStore {
    static func insert(_ order: LedgerOrder, request: String, result: String, _ db: PreparedDatabase) throws {
        let r = order.result
        try db.run("""
            INSERT INTO orders (order_id, number, account, client_order_id, symbol, side, type, status, remembered, request, result, ts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.bind(r.orderId)
            b.bind(order.number)
            b.bind(r.account)
            b.bind(r.clientOrderId)
            b.bind(r.symbol)
            b.bind(r.side.rawValue)
            b.bind(r.type.rawValue)
            b.bind(r.status.rawValue)
            b.bind(order.isRemembered)
            b.bind(request)
            b.bind(result)
            b.bind(order.timestampMicros)
        }
    }

    static func update(_ change: LedgerStatusChange, _ db: PreparedDatabase) throws {
        // The row by its number, the table's key, which the id carries ("O-" and the number).
        try db.run("UPDATE orders SET status = ?2 WHERE number = CAST(substr(?1, 3) AS INTEGER) AND order_id = ?1") { b in
            b.bind(change.orderId)
            b.bind(change.status.rawValue)
        }
        guard db.changesCount == 1 else { throw LedgerError("status change for order \(change.orderId), which the ledger does not hold") }
    }

    static func insert(_ event: LedgerEvent, _ db: PreparedDatabase) throws {
        try db.run("""
            INSERT INTO events (ts, event_type, order_id, order_number, client_order_id, account, symbol, side, price, qty, fee, base,
                                quote, total_value, reason_code, reason)
            VALUES (?1, ?2, ?3, CAST(substr(?3, 3) AS INTEGER), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
            """) { b in
            b.bind(event.timestampMicros)
            b.bind(event.kind.rawValue)
            b.bind(event.orderId)
            b.bind(event.clientOrderId)
            b.bind(event.account)
            b.bind(event.symbol)
            b.bind(event.side.rawValue)
            b.bind(event.price)
            b.bind(event.qty)
            b.bind(event.fee)
            b.bind(event.base)
            b.bind(event.quote)
            b.bind(event.totalValue)
            b.bind(event.reasonCode)
            b.bind(event.reason)
        }
    }

    static func removeResting(_ orderId: String, _ db: PreparedDatabase) throws {
        try db.run("DELETE FROM resting_orders WHERE order_id = ?") { b in
            b.bind(orderId)
        }
        guard db.changesCount == 1 else { throw LedgerError("order \(orderId) left the book but the ledger has it not resting") }
    }

    static func upsert(_ order: RestingOrderRecord, _ db: PreparedDatabase) throws {
        try db.run("""
            INSERT INTO resting_orders (order_id, order_number, client_order_id, account, symbol, side, limit_price, qty, filled_qty,
                                        reserved_quote, sequence, ts)
            VALUES (?1, CAST(substr(?1, 3) AS INTEGER), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            ON CONFLICT (order_id) DO UPDATE SET
                client_order_id = excluded.client_order_id, account = excluded.account, symbol = excluded.symbol,
                side = excluded.side, limit_price = excluded.limit_price, qty = excluded.qty,
                filled_qty = excluded.filled_qty, reserved_quote = excluded.reserved_quote,
                sequence = excluded.sequence, ts = excluded.ts
            """) { b in
            b.bind(order.orderId)
            b.bind(order.clientOrderId)
            b.bind(order.account)
            b.bind(order.symbol)
            b.bind(order.side.rawValue)
            b.bind(order.limitPrice)
            b.bind(order.qty)
            b.bind(order.filledQty)
            b.bind(order.reservedQuote)
            b.bind(order.sequence)
            b.bind(order.submittedAtMicros)
        }
    }

    static func upsert(_ balance: LedgerBalance, _ db: PreparedDatabase) throws {
        let p = balance.position
        let held = balance.reserved
        guard held.account == p.account, held.symbol == p.symbol else {
            throw LedgerError("balance of \(p.account) \(p.symbol) comes with the reservation of \(held.account) \(held.symbol)")
        }
        try db.run("""
            INSERT INTO positions (account, symbol, base, quote_flow, average_entry_price, realized_pnl, fees_paid,
                                   reserved_quote, reserved_base, pending_buy_qty)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (account, symbol) DO UPDATE SET
                base = excluded.base, quote_flow = excluded.quote_flow, average_entry_price = excluded.average_entry_price,
                realized_pnl = excluded.realized_pnl, fees_paid = excluded.fees_paid,
                reserved_quote = excluded.reserved_quote, reserved_base = excluded.reserved_base,
                pending_buy_qty = excluded.pending_buy_qty
            """) { b in
            b.bind(p.account)
            b.bind(p.symbol)
            b.bind(p.base)
            b.bind(p.quote)
            b.bind(p.averageEntryPrice)
            b.bind(p.realizedPnl)
            b.bind(p.feesPaid)
            b.bind(held.quote)
            b.bind(held.base)
            b.bind(held.buyQty)
        }
    }

    static func upsert(_ balance: AccountAssetBalance, _ db: PreparedDatabase) throws {
        try db.run("""
            INSERT INTO asset_balances (account, asset, amount) VALUES (?, ?, ?)
            ON CONFLICT (account, asset) DO UPDATE SET amount = excluded.amount
            """) { b in
            b.bind(balance.account)
            b.bind(balance.asset)
            b.bind(balance.amount)
        }
    }

    static func insert(_ payment: FundingPayment, _ db: PreparedDatabase) throws {
        try db.run("""
            INSERT INTO funding (account, symbol, funding_time, ts, base, mark, rate_bps, amount, asset)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.bind(payment.account)
            b.bind(payment.symbol)
            b.bind(payment.fundingTimeMicros)
            b.bind(payment.timestampMicros)
            b.bind(payment.base)
            b.bind(payment.mark)
            b.bind(payment.rateBps)
            b.bind(payment.amount)
            b.bind(payment.asset)
        }
    }

    static func setFundingClock(symbol: String, time: Int64, _ db: PreparedDatabase) throws {
        try db.run("""
            INSERT INTO funding_clock (symbol, funding_time) VALUES (?, ?)
            ON CONFLICT (symbol) DO UPDATE SET funding_time = excluded.funding_time
            """) { b in
            b.bind(symbol)
            b.bind(time)
        }
    }
}
