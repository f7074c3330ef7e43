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
        return migrator
    }
}
