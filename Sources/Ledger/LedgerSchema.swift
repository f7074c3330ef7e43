import GRDB

/// The ledger's tables, created and later changed only through numbered migrations so an
/// old ledger file is upgraded in place and opening a current one changes nothing.
/// Quantities, prices and amounts are INTEGER units of 10⁻⁸ (see `FixedPoint`).
enum LedgerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // v3 keeps balances per asset (one USD for every USD-quoted symbol) beside each
        // symbol's trading record. v1 (floating-point) and v2 (a quote balance per symbol)
        // ledgers are refused by `LedgerStore`, not converted: v2's per-symbol quote
        // balances cannot be split into starting balance and trades without the topology that
        // wrote them.
        migrator.registerMigration("v3") { db in
            // Every order the venue issued an id for. `result` is the first answer, the one a
            // retried client order id gets back; `status` follows the order afterwards.
            try db.execute(sql: """
                CREATE TABLE orders (
                    order_id TEXT PRIMARY KEY NOT NULL,
                    number INTEGER NOT NULL UNIQUE,
                    account TEXT NOT NULL,
                    client_order_id TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL,
                    type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    remembered INTEGER NOT NULL CHECK (remembered IN (0, 1)),
                    request TEXT NOT NULL,
                    result TEXT NOT NULL,
                    ts INTEGER NOT NULL
                );
                -- A client order id is unique per account only among the results replayed;
                -- replacements share their original's id and empty ids opt out.
                CREATE UNIQUE INDEX orders_remembered ON orders (account, client_order_id) WHERE remembered = 1;

                -- Fills and rejections; id is the order they were recorded in, which is the
                -- order the venue applied the fills.
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY,
                    ts INTEGER NOT NULL,
                    event_type TEXT NOT NULL CHECK (event_type IN ('fill', 'reject')),
                    order_id TEXT NOT NULL REFERENCES orders (order_id),
                    client_order_id TEXT NOT NULL,
                    account TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL,
                    price INTEGER,
                    qty INTEGER,
                    fee INTEGER NOT NULL,
                    base INTEGER,
                    quote INTEGER,
                    total_value INTEGER,
                    reason_code TEXT,
                    reason TEXT,
                    CHECK (event_type = 'reject' OR (price IS NOT NULL AND qty IS NOT NULL))
                );
                CREATE INDEX events_time ON events (ts, id);

                -- Each touched (account, symbol)'s trading record: the base it holds, the quote its
                -- trades paid and received (quote_flow), PnL and fees, with the reservation
                -- totals exactly as the venue holds them.
                CREATE TABLE positions (
                    account TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    base INTEGER NOT NULL,
                    quote_flow INTEGER NOT NULL,
                    average_entry_price INTEGER NOT NULL,
                    realized_pnl INTEGER NOT NULL,
                    fees_paid INTEGER NOT NULL,
                    reserved_quote INTEGER NOT NULL,
                    reserved_base INTEGER NOT NULL,
                    pending_buy_qty INTEGER NOT NULL,
                    PRIMARY KEY (account, symbol)
                );

                -- Current balance of every asset of every touched account: its starting balance
                -- plus what its symbols' trades moved (a restore checks them against positions).
                CREATE TABLE asset_balances (
                    account TEXT NOT NULL,
                    asset TEXT NOT NULL,
                    amount INTEGER NOT NULL,
                    PRIMARY KEY (account, asset)
                );

                CREATE TABLE resting_orders (
                    order_id TEXT PRIMARY KEY NOT NULL REFERENCES orders (order_id),
                    client_order_id TEXT NOT NULL,
                    account TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL,
                    limit_price INTEGER NOT NULL,
                    qty INTEGER NOT NULL,
                    filled_qty INTEGER NOT NULL,
                    reserved_quote INTEGER NOT NULL,
                    sequence INTEGER NOT NULL UNIQUE,
                    ts INTEGER NOT NULL
                );

                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                );
                """)
        }
        // v4 adds funding payments: one row per account, symbol and funding time.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE funding (
                    account TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    funding_time INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    base INTEGER NOT NULL,
                    mark INTEGER NOT NULL,
                    rate_bps REAL NOT NULL,
                    amount INTEGER NOT NULL,
                    asset TEXT NOT NULL,
                    PRIMARY KEY (account, symbol, funding_time)
                );
                """)
        }
        // v5 keeps each symbol's funding clock: the latest funding time settled, paid or not.
        // Funding rows alone cannot tell it: a funding time nobody held a position at leaves
        // none, and a restart must neither pay such a time late nor skip one it missed.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: """
                CREATE TABLE funding_clock (
                    symbol TEXT PRIMARY KEY NOT NULL,
                    funding_time INTEGER NOT NULL
                );
                """)
        }
        // v6 writes fewer pages per fill batch (each page a log frame synced before the order
        // is acknowledged). Orders are keyed by their number (the rowid) rather than by a
        // table plus a separate index of the number; positions, asset balances and meta become
        // one B-tree each, keyed by their primary key (WITHOUT ROWID), instead of a table plus
        // the index of that key; events lose the index by time, which only exports read (they
        // sort). The venue's order counter is no longer written with every order: it is the
        // larger of the meta row and the highest order number (`LedgerStore.ordersSubmitted`).
        migrator.registerMigration("v6") { db in
            try db.execute(sql: """
                CREATE TABLE orders_v6 (
                    number INTEGER PRIMARY KEY,
                    order_id TEXT NOT NULL UNIQUE,
                    account TEXT NOT NULL,
                    client_order_id TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL,
                    type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    remembered INTEGER NOT NULL CHECK (remembered IN (0, 1)),
                    request TEXT NOT NULL,
                    result TEXT NOT NULL,
                    ts INTEGER NOT NULL
                );
                INSERT INTO orders_v6 (number, order_id, account, client_order_id, symbol, side, type, status, remembered, request, result, ts)
                    SELECT number, order_id, account, client_order_id, symbol, side, type, status, remembered, request, result, ts FROM orders;
                DROP TABLE orders;
                ALTER TABLE orders_v6 RENAME TO orders;
                CREATE UNIQUE INDEX orders_remembered ON orders (account, client_order_id) WHERE remembered = 1;

                DROP INDEX events_time;

                CREATE TABLE positions_v6 (
                    account TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    base INTEGER NOT NULL,
                    quote_flow INTEGER NOT NULL,
                    average_entry_price INTEGER NOT NULL,
                    realized_pnl INTEGER NOT NULL,
                    fees_paid INTEGER NOT NULL,
                    reserved_quote INTEGER NOT NULL,
                    reserved_base INTEGER NOT NULL,
                    pending_buy_qty INTEGER NOT NULL,
                    PRIMARY KEY (account, symbol)
                ) WITHOUT ROWID;
                INSERT INTO positions_v6 SELECT account, symbol, base, quote_flow, average_entry_price, realized_pnl, fees_paid,
                    reserved_quote, reserved_base, pending_buy_qty FROM positions;
                DROP TABLE positions;
                ALTER TABLE positions_v6 RENAME TO positions;

                CREATE TABLE asset_balances_v6 (
                    account TEXT NOT NULL,
                    asset TEXT NOT NULL,
                    amount INTEGER NOT NULL,
                    PRIMARY KEY (account, asset)
                ) WITHOUT ROWID;
                INSERT INTO asset_balances_v6 SELECT account, asset, amount FROM asset_balances;
                DROP TABLE asset_balances;
                ALTER TABLE asset_balances_v6 RENAME TO asset_balances;

                CREATE TABLE meta_v6 (
                    key TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO meta_v6 SELECT key, value FROM meta;
                DROP TABLE meta;
                ALTER TABLE meta_v6 RENAME TO meta;
                """)
        }
        // v7 writes one page fewer per order. An order's id is "O-" and its number (the venue's
        // `VenueOrderId`), and the number is the table's key, so the index that kept ids unique
        // was a second B-tree, a page of it written with every order, for a uniqueness the key
        // already gives. A CHECK now ties each id to its number; events and resting orders
        // reference their order by its number (a foreign key needs a unique parent), their id
        // tied to it the same way; a status change or read by order id finds the row by the
        // number. A ledger holding an id that is not its number's is refused, naming it.
        migrator.registerMigration("v7") { db in
            for table in ["orders", "events", "resting_orders"] {
                let number = table == "orders" ? "number" : "CAST(substr(order_id, 3) AS INTEGER)"
                if let stray = try String.fetchOne(db, sql: "SELECT order_id FROM \(table) WHERE order_id IS NOT 'O-' || \(number) LIMIT 1") {
                    throw LedgerError("ledger \(table) row of order '\(stray)': not an id this venue gives (\"O-\" and the order's number), "
                        + "so the file was not written by a MarketMaker: move it away to start a new ledger")
                }
            }
            try db.execute(sql: """
                CREATE TABLE orders_v7 (
                    number INTEGER PRIMARY KEY,
                    order_id TEXT NOT NULL CHECK (order_id = 'O-' || number),
                    account TEXT NOT NULL,
                    client_order_id TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL,
                    type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    remembered INTEGER NOT NULL CHECK (remembered IN (0, 1)),
                    request TEXT NOT NULL,
                    result TEXT NOT NULL,
                    ts INTEGER NOT NULL
                );
                INSERT INTO orders_v7 (number, order_id, account, client_order_id, symbol, side, type, status, remembered, request, result, ts)
                    SELECT number, order_id, account, client_order_id, symbol, side, type, status, remembered, request, result, ts FROM orders;

                CREATE TABLE events_v7 (
                    id INTEGER PRIMARY KEY,
                    ts INTEGER NOT NULL,
                    event_type TEXT NOT NULL CHECK (event_type IN ('fill', 'reject')),
                    order_number INTEGER NOT NULL REFERENCES orders (number),
                    order_id TEXT NOT NULL CHECK (order_id = 'O-' || order_number),
                    client_order_id TEXT NOT NULL,
                    account TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL,
                    price INTEGER,
                    qty INTEGER,
                    fee INTEGER NOT NULL,
                    base INTEGER,
                    quote INTEGER,
                    total_value INTEGER,
                    reason_code TEXT,
                    reason TEXT,
                    CHECK (event_type = 'reject' OR (price IS NOT NULL AND qty IS NOT NULL))
                );
                INSERT INTO events_v7 (id, ts, event_type, order_number, order_id, client_order_id, account, symbol, side, price, qty,
                                       fee, base, quote, total_value, reason_code, reason)
                    SELECT id, ts, event_type, CAST(substr(order_id, 3) AS INTEGER), order_id, client_order_id, account, symbol, side,
                           price, qty, fee, base, quote, total_value, reason_code, reason FROM events;

                CREATE TABLE resting_orders_v7 (
                    order_id TEXT PRIMARY KEY NOT NULL CHECK (order_id = 'O-' || order_number),
                    order_number INTEGER NOT NULL REFERENCES orders (number),
                    client_order_id TEXT NOT NULL,
                    account TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL,
                    limit_price INTEGER NOT NULL,
                    qty INTEGER NOT NULL,
                    filled_qty INTEGER NOT NULL,
                    reserved_quote INTEGER NOT NULL,
                    sequence INTEGER NOT NULL UNIQUE,
                    ts INTEGER NOT NULL
                );
                INSERT INTO resting_orders_v7 (order_id, order_number, client_order_id, account, symbol, side, limit_price, qty,
                                               filled_qty, reserved_quote, sequence, ts)
                    SELECT order_id, CAST(substr(order_id, 3) AS INTEGER), client_order_id, account, symbol, side, limit_price, qty,
                           filled_qty, reserved_quote, sequence, ts FROM resting_orders;

                DROP TABLE resting_orders;
                DROP TABLE events;
                DROP TABLE orders;
                ALTER TABLE orders_v7 RENAME TO orders;
                ALTER TABLE events_v7 RENAME TO events;
                ALTER TABLE resting_orders_v7 RENAME TO resting_orders;
                CREATE UNIQUE INDEX orders_remembered ON orders (account, client_order_id) WHERE remembered = 1;
                """)
        }
        return migrator
    }

    /// The migration of the floating-point ledgers this version refuses.
    static let floatingPointSchema = "v1"

    /// The migration of the per-symbol-balance ledgers this version refuses.
    static let perSymbolBalanceSchema = "v2"

    /// meta key of the venue's order counter.
    static let ordersSubmittedKey = "orders_submitted"
}
