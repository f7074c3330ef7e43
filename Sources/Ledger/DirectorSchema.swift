import GRDB

/// The TradingDirector's tables, created and later changed only through numbered migrations.
enum DirectorSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("director-v1") { db in
            try db.execute(sql: """
                -- Every signal the director accepted, in arrival order (seq). `envelope` is the
                -- signal as received; `step` the analysis and approved verdict its order was
                -- sent with (set before the order leaves); `decision` its one decision.
                CREATE TABLE signals (
                    seq INTEGER PRIMARY KEY,
                    signal_id TEXT NOT NULL UNIQUE,
                    symbol TEXT NOT NULL,
                    received_us INTEGER NOT NULL,
                    envelope BLOB NOT NULL,
                    step BLOB,
                    decision BLOB
                );
                CREATE INDEX signals_undecided ON signals (seq) WHERE decision IS NULL;

                -- Each watched position: its exit plan, progress and exits in flight.
                CREATE TABLE positions (
                    opening_signal_id TEXT PRIMARY KEY NOT NULL,
                    symbol TEXT NOT NULL,
                    state BLOB NOT NULL
                );
                """)
        }
        return migrator
    }
}
