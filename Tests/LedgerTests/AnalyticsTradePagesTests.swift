import Foundation
import GRDB
import Testing
import Trading
@testable import Ledger

/// What a closed trade costs the analytics file's log, and the schema step that made it one page.
@Suite struct AnalyticsTradePagesTests {
    /// Bytes of one frame of the log: its header and a 4 KiB page.
    static let frameBytes = 24 + 4_096

    static func logBytes(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test func eachClosedTradeAddsOnePageToTheLog() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/analytics.sqlite"
            // As the director opens it: no sync per commit, checkpoints apart (none in 11 commits).
            let store = try AnalyticsStore(path: path, syncEveryCommit: false, checkpointsApart: true)
            _ = try store.record(AnalyticsStoreTests.trade(exit: 101, at: 1))
            let before = try Self.logBytes(path)
            for time in Int64(2)...11 {
                _ = try store.record(AnalyticsStoreTests.trade(exit: 101, at: time))
            }
            // Ten commits of a row each into the table's last page: one frame each. With the two
            // indexes of trades by exit time it was three (a page of each index as well).
            #expect(try Self.logBytes(path) - before == 10 * Self.frameBytes)
            #expect(try store.trades().map(\.trade.exitTimeMicros) == Array(1...11))
        }
    }

    @Test func aVersion3FileLosesItsTradeIndexesAndReadsTheSame() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/analytics.sqlite"
            let old = try DatabaseQueue(path: path)
            try AnalyticsSchema.migrator.migrate(old, upTo: "analytics-v3")
            // Recorded out of exit-time order, two at the same time, by the version before.
            try old.write { db in
                for (id, exit, account) in [(1, Int64(300), "trend"), (2, 200, "mean"), (3, 100, "trend"), (4, 200, "trend")] {
                    try db.execute(sql: """
                        INSERT INTO trades (id, account, symbol, side, qty, entry_price, exit_price, fees, entry_time_us,
                                            exit_time_us, opening_signal_id, exit_reason)
                        VALUES (?, ?, 'BTC-USD', 'buy', 100000000, 10000000000, 10100000000, 0, 0, ?, 'sig', 'take_profit')
                        """, arguments: [id, account, exit])
                }
            }
            func tradeIndexes(_ queue: DatabaseQueue) throws -> [String] {
                try queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trades' ORDER BY name") }
            }
            #expect(try tradeIndexes(old) == ["trades_account_exit_time", "trades_exit_time"])
            try old.close()

            let store = try AnalyticsStore(path: path)
            #expect(try tradeIndexes(DatabaseQueue(path: path)).isEmpty)
            #expect(try store.trades().compactMap(\.id) == [3, 2, 4, 1])
            #expect(try store.trades(account: "trend").compactMap(\.id) == [3, 4, 1])
            #expect(try store.accounts() == ["mean", "trend"])
        }
    }
}
