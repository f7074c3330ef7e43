import Agents
import Foundation
import Ledger
import Logging
import Synchronization
import Testing
import WireFormat
import WireProtocol

/// The director's portfolio snapshots value an account the way the venue holds it: one
/// balance per asset, however many symbols share it.
@Suite(.timeLimit(.minutes(1)))
struct AnalyticsRecorderTests {
    static func row(_ symbol: String, base: WireDecimal, quote: WireDecimal, mark: WireDecimal) -> PositionPayload {
        var row = PositionPayload(account: "desk", symbol: symbol, base: base, quote: quote, avgEntryPrice: mark,
                                  realizedPnl: 0, unrealizedPnl: 0, fees: 0, mark: mark)
        let assets = symbol.split(separator: "-").map(String.init)
        row.baseAsset = assets[0]
        row.quoteAsset = assets[1]
        return row
    }

    @Test func aQuoteAssetSharedBySymbolsIsCountedOnce() async throws {
        let folder = NSTemporaryDirectory() + "analytics-recorder-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try AnalyticsStore(path: folder + "/analytics.sqlite")
        let recorder = AnalyticsRecorder(store: store, logger: Logger(label: "test"))
        // Both rows carry the desk's one USD balance of 50,000; it holds 0.5 BTC at 60,000 and
        // 2 ETH at 3,000: capital 50,000 + 30,000 + 6,000 = 86,000, exposure 36,000.
        let rows = [Self.row("BTC-USD", base: 0.5, quote: 50_000, mark: 60_000),
                    Self.row("ETH-USD", base: 2, quote: 50_000, mark: 3_000)]
        recorder.snapshot(account: "desk", rows: rows, open: [], at: 1)
        await recorder.flush()
        let snapshot = try #require(try store.snapshots(account: "desk").first)
        #expect(snapshot.capital == 86_000)
        #expect(snapshot.cash == 50_000)
        #expect(snapshot.exposure == 36_000)
    }

    @Test func withASchedulerRecordsCommitWhereItRunsThemAndTogether() async throws {
        let folder = NSTemporaryDirectory() + "analytics-recorder-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try AnalyticsStore(path: folder + "/analytics.sqlite", syncEveryCommit: false, checkpointsApart: true)
        #expect(store.checkpointsApart)
        let (actions, handed) = AsyncStream.makeStream(of: (@Sendable () -> Void).self)
        let count = Mutex(0)
        let recorder = AnalyticsRecorder(store: store, logger: Logger(label: "test"), scheduler: { action in
            count.withLock { $0 += 1 }
            handed.yield(action)
        })
        var next = actions.makeAsyncIterator()
        let rows = [Self.row("BTC-USD", base: 0.5, quote: 50_000, mark: 60_000)]
        for time in 1...3 { recorder.snapshot(account: "desk", rows: rows, open: [], at: Int64(time)) }
        // One commit was handed over for the three; nothing is written before it runs.
        let commit = try #require(await next.next())
        #expect(count.withLock { $0 } == 1)
        #expect(try store.snapshots(account: "desk").isEmpty)
        commit()
        #expect(try store.snapshots(account: "desk").map(\.timeMicros) == [1, 2, 3])
        // A flush is handed over behind the commits before it and returns once it has run.
        let flushed = Task { await recorder.flush() }
        let action = try #require(await next.next())
        action()
        await flushed.value
    }
}
