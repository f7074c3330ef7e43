import Foundation
import Testing
import Trading
@testable import Ledger

/// The analytics file: round trips, ordering, filters, refusals, and the summary's numbers.
@Suite struct AnalyticsStoreTests {
    /// A long of 1 BTC-USD entered at 100 and closed at `exit` at `exitTime` with `fees`.
    static func trade(_ account: String = "trend", exit: Price, fees: Money = 0, at exitTime: Int64,
                      reason: String = "take_profit", signal: String = "sig") -> AnalyticsTrade {
        AnalyticsTrade(account: account,
                       trade: ClosedTrade(symbol: "BTC-USD", side: .buy, qty: 1, entryPrice: 100, exitPrice: exit, fees: fees,
                                          entryTimeMicros: exitTime - 60_000_000, exitTimeMicros: exitTime),
                       openingSignalId: signal, exitReason: reason)
    }

    static func snapshot(_ account: String = "trend", at time: Int64, capital: Money, exposurePct: Double? = nil,
                         heat: Double? = 0.01) -> AnalyticsSnapshot {
        AnalyticsSnapshot(timeMicros: time, account: account, capital: capital, cash: capital - 500, exposure: 500,
                          exposurePct: exposurePct ?? 500 / capital.double, realizedPnl: capital - 10_000, unrealizedPnl: -2.5,
                          openPositions: 1, portfolioHeat: heat)
    }

    @Test func tradesAndSnapshotsReadBackEqualFromAReadOnlyReopen() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/analytics.sqlite"
            var short = AnalyticsTrade(account: "trend",
                                       trade: ClosedTrade(symbol: "ETH-USD", side: .sell, qty: 0.125, entryPrice: 3_000.5, exitPrice: 2_950.25,
                                                          fees: 0.75, entryTimeMicros: 1_700_000_000_000_001, exitTimeMicros: 1_700_000_360_000_002),
                                       openingSignalId: "s-42", exitReason: .stopLoss)
            var long = Self.trade(exit: 110, fees: 0.1, at: 1_700_000_400_000_000, reason: AnalyticsTrade.signalExitReason)
            let snapshots = [Self.snapshot(at: 10, capital: 10_000, heat: nil), Self.snapshot(at: 20, capital: 10_012.5)]
            do {
                let store = try AnalyticsStore(path: path)
                short.id = try store.record(short)
                long.id = try store.record(long)
                for snapshot in snapshots { try store.record(snapshot) }
                #expect(try store.pragma("journal_mode") == "wal")
                #expect(try store.pragma("synchronous") == "2")
                // As the director opens it by default: handed to the OS, not fsynced, per commit.
                #expect(try AnalyticsStore(path: directory + "/relaxed.sqlite", syncEveryCommit: false).pragma("synchronous") == "1")
            }
            let reader = try AnalyticsStore(path: path, readOnly: true)
            #expect(short.id != nil && long.id != nil && short.id != long.id)
            #expect(try reader.trades() == [short, long])
            #expect(try reader.snapshots() == snapshots)
            #expect(try reader.snapshotCount() == 2)
            #expect(try reader.accounts() == ["trend"])
            #expect(throws: (any Error).self) { try reader.record(long) }
        }
    }

    @Test func tradesComeInExitTimeOrderThenIdAndSnapshotsInTimeOrder() throws {
        try withTemporaryDirectory { directory in
            let store = try AnalyticsStore(path: directory + "/analytics.sqlite")
            // Recorded out of order; the two at 200 keep their recording order.
            for (exit, time) in [(Price(101), Int64(300)), (102, 200), (103, 100), (104, 200)] {
                try store.record(Self.trade(exit: exit, at: time))
            }
            #expect(try store.trades().map(\.trade.exitPrice) == [103, 102, 104, 101])
            for (capital, time) in [(Money(1), Int64(30)), (2, 10), (3, 20), (4, 10)] {
                try store.record(Self.snapshot(at: time, capital: capital))
            }
            #expect(try store.snapshots().map(\.capital) == [2, 4, 3, 1])
        }
    }

    @Test func accountFilterAndLimitReturnTheLastNInTimeOrder() throws {
        try withTemporaryDirectory { directory in
            let store = try AnalyticsStore(path: directory + "/analytics.sqlite")
            for time in Int64(1)...6 {
                try store.record(Self.snapshot(time.isMultiple(of: 2) ? "mean" : "trend", at: time, capital: Money(raw: time * 100_000_000)))
                try store.record(Self.trade(time.isMultiple(of: 2) ? "mean" : "trend", exit: Price(100) + Price(raw: time * 100_000_000), at: time))
            }
            #expect(try store.trades(account: "mean").map(\.trade.exitTimeMicros) == [2, 4, 6])
            #expect(try store.trades(account: "nobody").isEmpty)
            #expect(try store.snapshots(account: "trend").map(\.timeMicros) == [1, 3, 5])
            #expect(try store.snapshots(limit: 4).map(\.timeMicros) == [3, 4, 5, 6])
            #expect(try store.snapshots(account: "mean", limit: 2).map(\.timeMicros) == [4, 6])
            #expect(try store.snapshots(account: "mean", limit: 10).map(\.timeMicros) == [2, 4, 6])
            #expect(try store.snapshots(limit: 0).isEmpty)
            #expect(try store.snapshotCount(account: "mean") == 3)
            #expect(try store.snapshotCount() == 6)
            #expect(try store.accounts() == ["mean", "trend"])
        }
    }

    @Test func aBatchWritesItsValidRecordsInOrderAndNamesEachOneLeftOut() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/analytics.sqlite"
            let store = try AnalyticsStore(path: path)
            let batch: [AnalyticsRecord] = [
                .trade(Self.trade(exit: 103, at: 100)),
                .snapshot(Self.snapshot(at: 100, capital: 10_000)),
                .trade(Self.trade(exit: 0, at: 150)),
                .trade(Self.trade(exit: 104, at: 100)),
                .snapshot(Self.snapshot(at: 200, capital: 10_001, exposurePct: .infinity)),
                .snapshot(Self.snapshot(at: 300, capital: 10_003)),
            ]
            let refused = try store.record(batch)
            #expect(refused.count == 2)
            #expect(refused.first?.message.contains("must be positive") == true)
            // Same exit time: recording order inside the batch is kept.
            #expect(try store.trades().map(\.trade.exitPrice) == [103, 104])
            #expect(try store.snapshots().map(\.capital) == [10_000, 10_003])
            // A batch with nothing valid writes nothing and still reports every record.
            let files = [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) }
            #expect(try store.record([.trade(Self.trade(exit: 0, at: 1)), .snapshot(Self.snapshot(at: 1, capital: 10_000, exposurePct: .nan))]).count == 2)
            #expect(files == [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) })
        }
    }

    static let nonFinite: [(String, @Sendable (AnalyticsStore) throws -> Void)] = [
        ("zero exit price", { try $0.record(AnalyticsStoreTests.trade(exit: 0, at: 9)) }),
        ("negative exit price", { try $0.record(AnalyticsStoreTests.trade(exit: -101, at: 9)) }),
        ("zero quantity", { store in
            var zero = AnalyticsStoreTests.trade(exit: 101, at: 9)
            zero.trade.qty = 0
            try store.record(zero)
        }),
        ("NaN exposure fraction", { try $0.record(AnalyticsStoreTests.snapshot(at: 9, capital: 10_000, exposurePct: .nan)) }),
        ("infinite heat", { try $0.record(AnalyticsStoreTests.snapshot(at: 9, capital: 10_000, heat: -.infinity)) }),
    ]

    @Test(arguments: nonFinite.indices)
    func unusableNumbersAreRefusedAndLeaveTheFileUnchanged(index: Int) throws {
        let (name, write) = Self.nonFinite[index]
        try withTemporaryDirectory { directory in
            let path = directory + "/analytics.sqlite"
            let store = try AnalyticsStore(path: path)
            try store.record(Self.trade(exit: 101, at: 1))
            try store.record(Self.snapshot(at: 1, capital: 10_000))
            let files = [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) }
            #expect(throws: LedgerError.self, "\(name)") { try write(store) }
            #expect(files == [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) }, "\(name)")
            #expect(try store.trades().count == 1 && store.snapshotCount() == 1, "\(name)")
        }
    }

    @Test func readOnlyRefusesAFileWithoutTheAnalyticsSchemaNamingIt() throws {
        try withTemporaryDirectory { directory in
            let missing = directory + "/missing.sqlite"
            #expect(throws: LedgerError.self) { try AnalyticsStore(path: missing, readOnly: true) }
            #expect(!FileManager.default.fileExists(atPath: missing))
            let empty = directory + "/empty.sqlite"
            #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
            let error = #expect(throws: LedgerError.self) { try AnalyticsStore(path: empty, readOnly: true) }
            #expect(error?.message.contains(empty) == true)
            // A ledger is refused read-only and writable alike, and not altered.
            let ledger = directory + "/ledger.sqlite"
            _ = try LedgerStore(path: ledger)
            #expect(throws: LedgerError.self) { try AnalyticsStore(path: ledger, readOnly: true) }
            #expect(throws: LedgerError.self) { try AnalyticsStore(path: ledger) }
            _ = try LedgerStore(path: ledger, readOnly: true)
        }
    }

    /// Net +100, −50, +25 from 10 000: the curve is 10 000, 10 100, 10 050, 10 075.
    static let threeTrades = [
        trade(exit: 201, fees: 1, at: 1_000, reason: "take_profit"),
        trade(exit: 60, fees: 10, at: 2_000, reason: "stop_loss"),
        trade(exit: 126, fees: 1, at: 3_000, reason: "take_profit"),
    ]

    @Test func summaryMatchesHandComputedFigures() throws {
        let snapshots = [Self.snapshot(at: 5_000, capital: 10_075), Self.snapshot(at: 500, capital: 10_000),
                         Self.snapshot(at: 2_500, capital: 10_040)]
        // The explicit capital is only a fallback: the earliest snapshot wins.
        let summary = AnalyticsSummary(trades: Self.threeTrades.reversed(), snapshots: snapshots, startingCapital: 5_000)
        let p = summary.performance
        #expect(summary.startingCapital == 10_000)
        #expect(Self.threeTrades.map(\.netPnl) == [100, -50, 25])
        #expect(p.tradeCount == 3 && p.winCount == 2 && p.lossCount == 1)
        #expect(p.winRate == 2.0 / 3)
        #expect(p.profitFactor == 2.5)
        #expect(p.netPnl == 75 && p.totalFees == 12)
        #expect(p.equityCurve == [10_000, 10_100, 10_050, 10_075])
        #expect(p.maxDrawdown == 50)
        #expect(abs(p.maxDrawdownPct! - 50.0 / 10_100) < 1e-15)
        #expect(abs(p.maxDrawdownPct! * 100 - 0.495) < 0.0001)
        #expect(summary.byExitReason == [
            .init(reason: "stop_loss", tradeCount: 1, winCount: 0, netPnl: -50),
            .init(reason: "take_profit", tradeCount: 2, winCount: 2, netPnl: 125),
        ])
        #expect(summary.snapshotCount == 3)
        #expect(summary.firstSnapshot?.timeMicros == 500 && summary.latestSnapshot?.timeMicros == 5_000)
        #expect(summary.equityHigh == 10_075 && summary.equityLow == 10_000)
    }

    @Test func withoutSnapshotsTheExplicitCapitalStartsTheCurveAndWithoutEitherThereIsNoDrawdownPercentage() throws {
        let explicit = AnalyticsSummary(trades: Self.threeTrades, snapshots: [], startingCapital: 10_000)
        #expect(explicit.startingCapital == 10_000)
        #expect(explicit.performance.equityCurve == [10_000, 10_100, 10_050, 10_075])
        #expect(explicit.performance.maxDrawdownPct == 50.0 / 10_100)
        #expect(explicit.firstSnapshot == nil && explicit.equityHigh == nil && explicit.snapshotCount == 0)

        let bare = AnalyticsSummary(trades: Self.threeTrades, snapshots: [])
        #expect(bare.startingCapital == nil)
        #expect(bare.performance.equityCurve == [0, 100, 50, 75])
        #expect(bare.performance.maxDrawdown == 50 && bare.performance.maxDrawdownPct == nil)
    }

    @Test func jsonUsesSnakeCaseKeysAndRoundTrips() throws {
        var record = Self.threeTrades[0]
        record.id = 7
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(text == #"{"account":"trend","entry_price":100,"entry_time_us":-59999000,"exit_price":201,"exit_reason":"take_profit","#
                + #""exit_time_us":1000,"fees":1,"id":7,"opening_signal_id":"sig","qty":1,"side":"buy","symbol":"BTC-USD"}"#)
        #expect(try JSONDecoder().decode(AnalyticsTrade.self, from: Data(text.utf8)) == record)
        let snapshot = Self.snapshot(at: 1, capital: 10_000)
        let snapshotText = String(decoding: try encoder.encode(snapshot), as: UTF8.self)
        #expect(snapshotText.contains(#""exposure_pct":0.05"#) && snapshotText.contains(#""time_us":1"#))
        #expect(try JSONDecoder().decode(AnalyticsSnapshot.self, from: Data(snapshotText.utf8)) == snapshot)
        let summary = AnalyticsSummary(trades: Self.threeTrades, snapshots: [snapshot])
        #expect(try JSONDecoder().decode(AnalyticsSummary.self, from: encoder.encode(summary)) == summary)
    }
}
