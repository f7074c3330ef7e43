import Agents
import Foundation
import Ledger
import Trading

/// The MarketMaker's ledger as a filled market order writes it: one batch (the order, its
/// fill, the position and every asset balance of the account, the order counter) committed
/// with synchronous = FULL, one transaction per batch (a group of one, as at a quiet venue).
/// The batches come from a `SimulatedVenue` with eight USD symbols, buying and selling in
/// turn, through `LedgerBatch` and the MarketMaker's own order forms, on a ledger prefilled
/// with orders so its B-trees have their steady-state depth.
///
/// Prints µs per commit (median, p99 and max, fdatasync included; apart, the median of the first
/// 50 batches after opening, written to a new log), and per batch the WAL
/// frames added (first 50 batches after reopening, before any checkpoint) and the process's
/// write syscalls and bytes (all batches, the checkpoints included). After each timed commit
/// the log is checkpointed when due, as the MarketMaker's writer does once the batch is
/// acknowledged; those checkpoints are timed apart (count and longest).
enum LedgerProbe {
    static let symbols = ["BTC-USD", "ETH-USD", "SOL-USD", "XRP-USD", "ADA-USD", "DOT-USD", "LTC-USD", "AVAX-USD"]

    static func run(count: Int, prefill: Int, checkpointsInside: Bool) {
        let folder = StoreProbeSupport.temporaryDirectory("ledger-probe")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/ledger.sqlite"
        var venue = try! SimulatedVenue(config: VenueConfig(), accounts: [AccountConfig(name: "desk", balances: ["USD": 10_000_000])],
                                        symbols: symbols)
        var time: Int64 = 1_796_118_553_000_000
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 99.99, ask: 100.01, last: 100), at: time)
        var index = 0
        do {
            let filler = try LedgerStore(path: path, orderWriter: LedgerOrderForms())
            var batches: [LedgerBatch] = []
            for _ in 0..<prefill {
                time += 1_000
                batches.append(batch(&venue, index, at: time))
                index += 1
                if batches.count >= 500 { try filler.record(batches); batches = [] }
            }
            try filler.record(batches)
        } catch {
            fatalError("LedgerProbe: prefill failed: \(error)")
        }
        // Inside: nobody checkpoints between batches, and a commit does once the log passes
        // 8 × 125 = 1,000 pages, as SQLite's own rule does.
        let store = try! LedgerStore(path: path, orderWriter: LedgerOrderForms(), checkpointFrames: checkpointsInside ? 125 : 1_000)

        // WAL frames per batch: 50 batches stay below the 1,000-frame autocheckpoint.
        // Counted by the store's log hook: the log file has its room from the start.
        let framesBefore = store.logFrames
        let frameBatches = 50
        var fresh: [UInt64] = []
        for _ in 0..<frameBatches {
            time += 1_000
            let next = batch(&venue, index, at: time)
            let started = nanos()
            try! store.record(next)
            fresh.append(nanos() - started)
            index += 1
        }
        let frames = Double(store.logFrames - framesBefore) / Double(frameBatches)

        var batches: [LedgerBatch] = []
        batches.reserveCapacity(count)
        for _ in 0..<count {
            time += 1_000
            batches.append(batch(&venue, index, at: time))
            index += 1
        }
        let writesBefore = StoreProbeSupport.processWrites()
        let (samples, checkpoints, passing) = commit(batches, to: store, between: !checkpointsInside)
        let writesAfter = StoreProbeSupport.processWrites()
        let sorted = samples.sorted().map { Double($0) / 1_000 }
        emit("ledger: fill batch commit (fdatasync included)", StoreProbeSupport.medianMicros(samples), "µs")
        emit("ledger: fill batch commit p99", percentile(sorted, 0.99), "µs")
        emit("ledger: fill batch commit on a new log (first 50 after opening), median", StoreProbeSupport.medianMicros(fresh), "µs")
        emit("ledger: fill batch commit max", sorted.last ?? 0, "µs")
        emit("ledger: log checkpoints", Double(checkpoints.count + store.logCheckpoints.insideCommits), "checkpoints")
        emit("ledger: commit that passes the log threshold, median", passing.isEmpty ? 0 : StoreProbeSupport.medianMicros(passing), "µs")
        emit("ledger: checkpoint between batches max", Double(checkpoints.max() ?? 0) / 1_000, "µs")
        emit("ledger: WAL frames per fill batch", frames, "frames")
        emit("ledger: write syscalls per fill batch", Double(writesAfter.syscalls - writesBefore.syscalls) / Double(count), "calls")
        emit("ledger: bytes written per fill batch", Double(writesAfter.bytes - writesBefore.bytes) / Double(count), "B")
    }

    /// Commits each batch in a transaction of its own, timing each, and checkpoints the log
    /// between batches when due, timing those apart. `passing` holds the commits that took the
    /// log past its threshold: those that checkpointed inside, or after which one was due.
    @inline(never)
    static func commit(_ batches: [LedgerBatch], to store: LedgerStore, between: Bool)
        -> (commits: [UInt64], checkpoints: [UInt64], passing: [UInt64]) {
        var samples: [UInt64] = []
        var checkpoints: [UInt64] = []
        var passing: [UInt64] = []
        samples.reserveCapacity(batches.count)
        for batch in batches {
            let inside = store.logCheckpoints.insideCommits
            let started = nanos()
            try! store.record(batch)
            let committed = nanos()
            samples.append(committed - started)
            if store.logCheckpoints.insideCommits > inside { passing.append(committed - started) }
            if between, try! store.checkpointIfDue() {
                checkpoints.append(nanos() - committed)
                passing.append(committed - started)
            }
        }
        return (samples, checkpoints, passing)
    }

    /// The batch of a market order of 80 BTC-USD, bought on even `index`es and sold on odd ones.
    static func batch(_ venue: inout SimulatedVenue, _ index: Int, at time: Int64) -> LedgerBatch {
        let request = OrderRequest(clientOrderId: "sig-d64b445c" + String(format: "%08x", index), account: "desk", symbol: "BTC-USD",
                                   side: index % 2 == 0 ? .buy : .sell, type: .market, qty: 80)
        let mark = LedgerMark(&venue)
        let result = venue.submit(request, at: time)
        precondition(result.status == .filled, "LedgerProbe: the order did not fill: \(result)")
        return LedgerBatch(.submit(request, result), venue: venue, since: mark, at: time)
    }
}
