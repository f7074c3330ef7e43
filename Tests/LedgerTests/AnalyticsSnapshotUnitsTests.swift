import Foundation
import GRDB
import Testing
import Trading
@testable import Ledger

/// A snapshot's amounts are stored as INTEGER units of 10⁻⁸ and read back exactly; a file of
/// the previous schema, whose snapshot amounts were REAL, is upgraded in place to the nearest
/// unit.
@Suite struct AnalyticsSnapshotUnitsTests {
    @Test func amountsAreStoredAsIntegerUnitsAndReadBackExactly() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/analytics.sqlite"
            let store = try AnalyticsStore(path: path)
            let capital = try Money(units: 10_000) + Money(raw: 15_000_003)
            try store.record(AnalyticsSnapshot(timeMicros: 1, account: "desk", capital: capital, cash: Money(raw: 1), exposure: Money(raw: 3),
                                               exposurePct: 0.1, realizedPnl: Money(raw: -7), unrealizedPnl: Money(raw: 30_000_000),
                                               openPositions: 2, portfolioHeat: nil))
            let back = try #require(try store.snapshots().first)
            #expect(back.capital == capital && back.realizedPnl == Money(raw: -7) && back.unrealizedPnl == Money(raw: 30_000_000))
            let stored = try DatabaseQueue(path: path).read { db in
                try Row.fetchOne(db, sql: "SELECT typeof(capital), capital, typeof(realized_pnl) FROM snapshots")
            }
            #expect(stored?[0] == "integer" && stored?[1] == 1_000_015_000_003 as Int64 && stored?[2] == "integer")
        }
    }

    @Test func aSchemaV2FileIsUpgradedToTheNearestUnit() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/analytics.sqlite"
            // The v2 snapshot table as that version created it, with one row of REAL amounts.
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('analytics-v2');
                    CREATE TABLE trades (id INTEGER PRIMARY KEY, account TEXT NOT NULL, symbol TEXT NOT NULL,
                        side TEXT NOT NULL CHECK (side IN ('buy', 'sell')), qty INTEGER NOT NULL, entry_price INTEGER NOT NULL,
                        exit_price INTEGER NOT NULL, fees INTEGER NOT NULL, entry_time_us INTEGER NOT NULL,
                        exit_time_us INTEGER NOT NULL, opening_signal_id TEXT NOT NULL, exit_reason TEXT NOT NULL);
                    CREATE TABLE snapshots (id INTEGER PRIMARY KEY, time_us INTEGER NOT NULL, account TEXT NOT NULL,
                        capital REAL NOT NULL, cash REAL NOT NULL, exposure REAL NOT NULL, exposure_pct REAL NOT NULL,
                        realized_pnl REAL NOT NULL, unrealized_pnl REAL NOT NULL,
                        open_positions INTEGER NOT NULL CHECK (open_positions >= 0), portfolio_heat REAL);
                    INSERT INTO snapshots VALUES (1, 5, 'desk', 10000.15000000001, 0.30000000000000004, 12.5, 0.00125,
                                                  -2.49999999, 0.1, 1, NULL);
                    """)
            }
            let snapshots = try AnalyticsStore(path: path).snapshots()
            #expect(snapshots.count == 1)
            let row = try #require(snapshots.first)
            #expect(row.capital == Money(raw: 1_000_015_000_000) && row.cash == Money(raw: 30_000_000))
            #expect(row.exposure == Money(raw: 1_250_000_000) && row.realizedPnl == Money(raw: -249_999_999))
            #expect(row.unrealizedPnl == Money(raw: 10_000_000) && row.exposurePct == 0.00125 && row.openPositions == 1)
        }
    }
}
