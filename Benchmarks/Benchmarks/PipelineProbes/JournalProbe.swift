import Foundation
import Ledger

/// The TradingDirector's journal as a filled signal writes it: `accepted` deferred into the
/// `executing` commit (awaited before the order leaves), then the opened position and the
/// decision in a second commit (awaited before the decision is published). The store is the
/// production one (synchronous = NORMAL, checkpoints apart), prefilled with decided signals so
/// its B-trees have their steady-state depth, and the records are the sizes a pipeline run
/// writes (envelope ≈ 240 B, step ≈ 1.1 KB, decision ≈ 1.5 KB, position ≈ 430 B). With
/// `remembered` below `prefill` the store is one that has run past the signals it remembers:
/// loading it forgets the oldest, and every new signal then takes the row of the oldest decided one.
///
/// Prints how long loading the prefilled store takes (a restarted director's read), µs per
/// commit (medians), and per cycle the WAL frames added (first 100 cycles after
/// reopening, before any checkpoint) and the process's write syscalls and bytes (all cycles,
/// checkpoints included).
enum JournalProbe {
    static func run(count: Int, prefill: Int, remembered: Int) {
        let folder = StoreProbeSupport.temporaryDirectory("journal-probe")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/director.sqlite"
        do {
            // Prefill in large transactions, then close so the log is checkpointed away.
            let filler = try DirectorStore(path: path)
            var batch: [DirectorChange] = []
            for index in 0..<prefill {
                batch += accepted(index) + [.decided(signalId: id(index), decision: decision(index))]
                if batch.count >= 2_000 { try filler.record(batch); batch = [] }
            }
            try filler.record(batch)
        } catch {
            fatalError("JournalProbe: prefill failed: \(error)")
        }
        let store = try! DirectorStore(path: path, syncEveryCommit: false, checkpointsApart: true)
        let loading = nanos()
        _ = try! store.load(rememberedSignals: remembered)
        emit("director journal: load of the prefilled store (a restart)", Double(nanos() - loading) / 1_000_000, "ms")
        var next = prefill

        // WAL frames per cycle: 100 cycles = 200 commits, fewer than the 256 between checkpoints.
        let framesBefore = StoreProbeSupport.walFrames(path)
        let frameCycles = 100
        for _ in 0..<frameCycles {
            cycle(store, next)
            next += 1
        }
        let frames = Double(StoreProbeSupport.walFrames(path) - framesBefore) / Double(frameCycles)

        let writesBefore = StoreProbeSupport.processWrites()
        var executing: [UInt64] = [], decided: [UInt64] = []
        executing.reserveCapacity(count)
        decided.reserveCapacity(count)
        for _ in 0..<count {
            let (first, second) = timedCycle(store, next)
            executing.append(first)
            decided.append(second)
            next += 1
        }
        let writesAfter = StoreProbeSupport.processWrites()
        emit("director journal: executing commit (accepted + step)", StoreProbeSupport.medianMicros(executing), "µs")
        emit("director journal: decided commit (position + decision)", StoreProbeSupport.medianMicros(decided), "µs")
        emit("director journal: WAL frames per filled signal", frames, "frames")
        emit("director journal: write syscalls per filled signal", Double(writesAfter.syscalls - writesBefore.syscalls) / Double(count), "calls")
        emit("director journal: bytes written per filled signal", Double(writesAfter.bytes - writesBefore.bytes) / Double(count), "B")
    }

    /// One filled signal's two commits.
    @inline(never)
    static func cycle(_ store: DirectorStore, _ index: Int) {
        try! store.record(accepted(index) + [.executing(signalId: id(index), step: step)])
        try! store.record(positionChanges(index) + [.decided(signalId: id(index), decision: decision(index))])
    }

    /// Even signals open a position, odd ones close the one before (the bench driver's
    /// alternating buys and sells): the table stays as small as in a run.
    static func positionChanges(_ index: Int) -> [DirectorChange] {
        index % 2 == 0 ? [.position(openingSignalId: id(index), symbol: "BTC-USD", state: position(index))]
            : [.positionClosed(openingSignalId: id(index - 1))]
    }

    /// `cycle`, timing each commit (the records are made before the clock starts).
    @inline(never)
    static func timedCycle(_ store: DirectorStore, _ index: Int) -> (UInt64, UInt64) {
        let first = accepted(index) + [.executing(signalId: id(index), step: step)]
        let second = positionChanges(index) + [.decided(signalId: id(index), decision: decision(index))]
        let started = nanos()
        try! store.record(first)
        let between = nanos()
        try! store.record(second)
        return (between - started, nanos() - between)
    }

    static func id(_ index: Int) -> String { "d64b445c" + String(format: "%08x", index) }

    static func accepted(_ index: Int) -> [DirectorChange] {
        let envelope = #"{"v": 1, "id": "\#(id(index))", "type": "signal", "trace_id": "478cc0a41da033d431f979ba8c5db191", "parent_id": null, "source": "bench-driver", "ts": 1796118553344340, "payload": {"symbol": "BTC-USD", "side": "buy", "confidence": 0.9}}"#
        return [.accepted(signalId: id(index), symbol: "BTC-USD", receivedUs: 1_796_118_553_344_340 + Int64(index), envelope: Data(envelope.utf8))]
    }

    static let analysis = #"{"confidence":0,"direction":"flat","last_price":100,"sample_count":14,"symbol":"BTC-USD","technical_score":0,"thesis":"insufficient data: 14 of 21 prices","trend_strength":0}"#
    static let verdict = #"{"approved":true,"notional":8000,"plan":{"assumed_stops":[],"capital":8000000000,"exposure_after":1e-06,"heat_after":5e-07,"leverage":20,"margin":400,"margin_usage_after":5e-08,"risk_amount":4000,"risk_pct":5e-07,"sized_by":"maxPositionSizePct","stop_price":50,"targets":[],"warnings":[]},"price":100,"qty":80,"reason":"buy 80 BTC-USD at 100.00, stop 50.00, risk 4000.00 (0.00% of capital, sized by maxPositionSizePct), targets [], leverage 20x, exposure 0.00%, heat 0.00% after","side":"buy","symbol":"BTC-USD"}"#
    static let step = Data(#"{"analysis":\#(analysis),"verdict":\#(verdict)}"#.utf8)

    static func decision(_ index: Int) -> Data {
        let order = "O-\(index + 1)"
        return Data(#"{"analysis":\#(analysis),"avg_price":100.020001,"filled_qty":80,"fills":[{"account":"desk","client_order_id":"sig-\#(id(index))","fee":8.00160008,"order_id":"\#(order)","price":100.020001,"qty":80,"side":"buy","symbol":"BTC-USD"}],"latency_us":5513,"order_id":"\#(order)","outcome":"filled","queued_us":178,"reason":"bought 80 BTC-USD at 100.020001 (order \#(order)); watching stop 50.00, targets ","risk":\#(verdict),"side":"buy","signal_id":"\#(id(index))","stage":"done","symbol":"BTC-USD"}"#.utf8)
    }

    static func position(_ index: Int) -> Data {
        Data(#"{"inFlight":[],"position":{"account":"desk","matcher":{"lots":[{"fee":4.91e-06,"price":100.020001,"qty":4.912e-05,"side":"buy","timeMicros":1796118559337803}],"symbol":"BTC-USD"},"openingSignalId":"\#(id(index))","openingTraceId":"9dae1a3472c51cd298b72716e71343af","rejections":{},"symbol":"BTC-USD","tracker":{"entryTimeMicros":1796118559337803,"remainingQty":4.912e-05,"side":"buy","stopPrice":50,"targets":[],"targetsHit":[]}}}"#.utf8)
    }
}
