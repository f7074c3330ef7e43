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
        // v2 writes fewer pages per signal. The partial index of undecided signals is gone:
        // each signal added an entry to it with its step and removed it with its decision, a
        // page written by each of those commits, for a query that runs once at start-up, next
        // to one reading every signal anyway. Positions become one B-tree keyed by their
        // opening signal (WITHOUT ROWID) instead of a table plus the index of that key; `seq`
        // keeps the order they were first recorded in, which the rowid kept before.
        migrator.registerMigration("director-v2") { db in
            try db.execute(sql: """
                DROP INDEX signals_undecided;

                CREATE TABLE positions_v2 (
                    opening_signal_id TEXT PRIMARY KEY NOT NULL,
                    seq INTEGER NOT NULL,
                    symbol TEXT NOT NULL,
                    state BLOB NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO positions_v2 (opening_signal_id, seq, symbol, state)
                    SELECT opening_signal_id, rowid, symbol, state FROM positions;
                DROP TABLE positions;
                ALTER TABLE positions_v2 RENAME TO positions;
                """)
        }
        // v3 drops the UNIQUE index of signal ids: a page of log written by every accepted
        // signal at a random place in the index. The store finds a signal's row by its `seq`
        // through an index it keeps in memory (`SignalRowIndex`), and the director accepts an id
        // once while it remembers it.
        migrator.registerMigration("director-v3") { db in
            try db.execute(sql: """
                CREATE TABLE signals_v3 (
                    seq INTEGER PRIMARY KEY,
                    signal_id TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    received_us INTEGER NOT NULL,
                    envelope BLOB NOT NULL,
                    step BLOB,
                    decision BLOB
                );
                INSERT INTO signals_v3 (seq, signal_id, symbol, received_us, envelope, step, decision)
                    SELECT seq, signal_id, symbol, received_us, envelope, step, decision FROM signals;
                DROP TABLE signals;
                ALTER TABLE signals_v3 RENAME TO signals;
                """)
        }
        // v4 keys each signal's row by a `slot` of its own and keeps the order signals came in
        // as `seq`: a store that holds as many signals as it remembers writes a new one over
        // the row of the oldest decided one (same key, a page it already has) instead of
        // appending it and deleting old rows in bursts, which took pages from the file's free
        // list and gave others back (docs/PERFORMANCE.md, change 165). Existing rows keep their
        // seq as their slot.
        migrator.registerMigration("director-v4") { db in
            try db.execute(sql: """
                CREATE TABLE signals_v4 (
                    slot INTEGER PRIMARY KEY,
                    seq INTEGER NOT NULL,
                    signal_id TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    received_us INTEGER NOT NULL,
                    envelope BLOB NOT NULL,
                    step BLOB,
                    decision BLOB
                );
                INSERT INTO signals_v4 (slot, seq, signal_id, symbol, received_us, envelope, step, decision)
                    SELECT seq, seq, signal_id, symbol, received_us, envelope, step, decision FROM signals;
                DROP TABLE signals;
                ALTER TABLE signals_v4 RENAME TO signals;
                """)
        }
        return migrator
    }
}
