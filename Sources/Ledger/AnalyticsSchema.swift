import GRDB

/// The analytics file's tables, created and later changed only through numbered
/// migrations, like the ledger's, so an old file is upgraded in place and opening a
/// current one changes nothing.
enum AnalyticsSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // v2: a trade's quantity, prices and fees are INTEGER units of 10⁻⁸; snapshots are
        // valuations (floating point). Files of analytics-v1 are refused, not converted.
        migrator.registerMigration("analytics-v2") { db in
            try db.execute(sql: """
                -- One closed round trip per row, gross inputs only: net PnL and return are
                -- derived (ClosedTrade.netPnl, returnPct) so they cannot disagree with them.
                CREATE TABLE trades (
                    id INTEGER PRIMARY KEY,
                    account TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
                    qty INTEGER NOT NULL,
                    entry_price INTEGER NOT NULL,
                    exit_price INTEGER NOT NULL,
                    fees INTEGER NOT NULL,
                    entry_time_us INTEGER NOT NULL,
                    exit_time_us INTEGER NOT NULL,
                    opening_signal_id TEXT NOT NULL,
                    exit_reason TEXT NOT NULL
                );
                CREATE INDEX trades_exit_time ON trades (exit_time_us, id);
                CREATE INDEX trades_account_exit_time ON trades (account, exit_time_us, id);

                -- The portfolio as valued on an interval. portfolio_heat is NULL when it was
                -- not known.
                CREATE TABLE snapshots (
                    id INTEGER PRIMARY KEY,
                    time_us INTEGER NOT NULL,
                    account TEXT NOT NULL,
                    capital REAL NOT NULL,
                    cash REAL NOT NULL,
                    exposure REAL NOT NULL,
                    exposure_pct REAL NOT NULL,
                    realized_pnl REAL NOT NULL,
                    unrealized_pnl REAL NOT NULL,
                    open_positions INTEGER NOT NULL CHECK (open_positions >= 0),
                    portfolio_heat REAL
                );
                CREATE INDEX snapshots_time ON snapshots (time_us, id);
                CREATE INDEX snapshots_account_time ON snapshots (account, time_us, id);
                """)
        }
        // v3: a snapshot's amounts are INTEGER units of 10⁻⁸ like every other amount; those
        // of a v2 file become the nearest unit (they were the nearest Doubles to exact sums).
        migrator.registerMigration("analytics-v3") { db in
            try db.execute(sql: """
                CREATE TABLE snapshots_v3 (
                    id INTEGER PRIMARY KEY,
                    time_us INTEGER NOT NULL,
                    account TEXT NOT NULL,
                    capital INTEGER NOT NULL,
                    cash INTEGER NOT NULL,
                    exposure INTEGER NOT NULL,
                    exposure_pct REAL NOT NULL,
                    realized_pnl INTEGER NOT NULL,
                    unrealized_pnl INTEGER NOT NULL,
                    open_positions INTEGER NOT NULL CHECK (open_positions >= 0),
                    portfolio_heat REAL
                );
                INSERT INTO snapshots_v3
                    SELECT id, time_us, account, CAST(ROUND(capital * 100000000) AS INTEGER),
                           CAST(ROUND(cash * 100000000) AS INTEGER), CAST(ROUND(exposure * 100000000) AS INTEGER),
                           exposure_pct, CAST(ROUND(realized_pnl * 100000000) AS INTEGER),
                           CAST(ROUND(unrealized_pnl * 100000000) AS INTEGER), open_positions, portfolio_heat
                    FROM snapshots;
                DROP TABLE snapshots;
                ALTER TABLE snapshots_v3 RENAME TO snapshots;
                CREATE INDEX snapshots_time ON snapshots (time_us, id);
                CREATE INDEX snapshots_account_time ON snapshots (account, time_us, id);
                """)
        }
        // v4 writes one page per closed trade where it wrote three. The two indexes of trades by
        // exit time only spared `trades(account:)` a sort, in a read of every trade (or every
        // trade of an account) that a report makes now and then; every closed trade wrote a page
        // of each beside the table's own. Snapshots keep theirs: a report reads the newest few.
        migrator.registerMigration("analytics-v4") { db in
            try db.execute(sql: """
                DROP INDEX IF EXISTS trades_exit_time;
                DROP INDEX IF EXISTS trades_account_exit_time;
                """)
        }
        return migrator
    }
}
