import Agents
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// The lanes' own bookkeeping: how much waits per symbol, refusals at capacity, and order.
@Suite(.timeLimit(.minutes(1)))
struct SymbolLanesTests {
    /// Runs `lanes` while `body` runs, then shuts them down gracefully and waits for `run()`
    /// to return.
    static func running(_ lanes: SymbolLanes, _ body: () async throws -> Void) async throws {
        try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await lanes.run() }
                try await body()
                shutdown.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test func aLaneCountsWhatWaitsRefusesAtCapacityAndRunsInOrder() async throws {
        let lanes = SymbolLanes(capacity: 2)
        let (ran, done) = AsyncStream.makeStream(of: String.self)
        // "btc 2" holds its lane, once started, until the gate opens: what is queued behind it
        // meanwhile waits, whatever the threads' timing.
        let (gate, opener) = AsyncStream.makeStream(of: Void.self)
        func work(_ name: String) -> SymbolLanes.Work { { done.yield(name); return nil } }
        func holding(_ name: String) -> SymbolLanes.Work {
            {
                done.yield(name)
                for await _ in gate { break }
                return nil
            }
        }
        // Queued before `run()`: the lane holds them, counted per symbol.
        #expect(lanes.submit("BTC-USD", work("btc 1")) == .queued(ahead: 0))
        #expect(lanes.submit("BTC-USD", holding("btc 2")) == .queued(ahead: 1))
        #expect(lanes.submit("BTC-USD", work("btc 3")) == .full(waiting: 2))
        #expect(lanes.submit("ETH-USD", work("eth 1")) == .queued(ahead: 0))
        var names = ran.makeAsyncIterator()
        try await Self.running(lanes) {
            var seen: [String] = []
            for _ in 0..<3 { seen.append(await names.next() ?? "") }
            #expect(seen.filter { $0.hasPrefix("btc") } == ["btc 1", "btc 2"])
            #expect(seen.contains("eth 1"))
            // Started work no longer counts: behind "btc 2", still running, the lane takes
            // two again and refuses a third.
            #expect(lanes.submit("BTC-USD", work("btc 4")) == .queued(ahead: 0))
            #expect(lanes.submit("BTC-USD", work("btc 5")) == .queued(ahead: 1))
            #expect(lanes.submit("BTC-USD", work("btc 6")) == .full(waiting: 2))
            opener.finish()
        }
        done.finish()
        var rest: [String] = []
        while let name = await names.next() { rest.append(name) }
        // Queued before the shutdown, so run before `run()` returned, in order.
        #expect(rest == ["btc 4", "btc 5"])
        #expect(lanes.submit("ETH-USD", work("eth 2")) == .stopped)
    }

    /// The piece next in line is prepared while the one before it runs, and only that one; its
    /// work starts once both have ended; a piece offered while nothing runs in its lane (here,
    /// while the lane concludes its last piece) is not prepared ahead.
    @Test func theNextPieceIsPreparedWhileThePieceBeforeItRuns() async throws {
        let lanes = SymbolLanes(capacity: 2)
        let (events, log) = AsyncStream.makeStream(of: String.self)
        let (gate, opener) = AsyncStream.makeStream(of: Void.self)
        let (preparing, release) = AsyncStream.makeStream(of: Void.self)
        func note(_ name: String) -> SymbolLanes.Work { { log.yield(name); return nil } }
        func prepare(_ name: String) -> SymbolLanes.Preparation { { log.yield(name) } }
        #expect(lanes.submit("BTC-USD", { log.yield("a"); for await _ in gate { break }; return nil }) == .queued(ahead: 0))
        #expect(lanes.submit("BTC-USD", preparing: { log.yield("prepare b"); for await _ in preparing { break }; log.yield("prepared b") },
                             note("b")) == .queued(ahead: 1))
        #expect(lanes.submit("BTC-USD", preparing: prepare("prepare c"), note("c")) == .full(waiting: 2))
        var seen = events.makeAsyncIterator()
        try await Self.running(lanes) {
            var started: Set<String> = []
            for _ in 0..<2 { started.insert(await seen.next() ?? "") }
            #expect(started == ["a", "prepare b"])
            // "b", taken ahead, no longer counts: "c" waits behind it, not prepared while
            // "a" still runs, since it is not next.
            // "c"'s conclusion holds the lane, with nothing waiting, until "concluded" opens.
            let (concluded, concluding) = AsyncStream.makeStream(of: Void.self)
            #expect(lanes.submit("BTC-USD", preparing: prepare("prepare c"), {
                log.yield("c")
                return {
                    log.yield("conclude c")
                    for await _ in concluded { break }
                }
            }) == .queued(ahead: 0))
            opener.finish()
            release.finish()
            var rest: [String] = []
            for _ in 0..<5 { rest.append(await seen.next() ?? "") }
            let prepared = try #require(rest.firstIndex(of: "prepared b"))
            let ran = try #require(rest.firstIndex(of: "b"))
            #expect(prepared < ran)
            #expect(Set(rest) == ["prepared b", "b", "prepare c", "c", "conclude c"])
            #expect(rest.suffix(2) == ["c", "conclude c"])
            // Offered while the lane concludes "c", "d" is taken once that ends, as it came:
            // nothing prepares it ahead.
            #expect(lanes.submit("BTC-USD", preparing: prepare("prepare d"), note("d")) == .queued(ahead: 0))
            concluding.finish()
            #expect(await seen.next() == "d")
        }
        log.finish()
        #expect(await seen.next() == nil)
    }

    /// A piece offered while the piece before it runs, with nothing waiting, is prepared as it
    /// comes, and its work starts once that preparation has ended; a piece offered behind it is
    /// not, but is taken ahead once the first starts; the conclusion before is not held up.
    @Test func aPieceOfferedWhileTheOneBeforeItRunsIsPreparedAsItComes() async throws {
        let lanes = SymbolLanes(capacity: 4)
        let (events, log) = AsyncStream.makeStream(of: String.self)
        let (gate, opener) = AsyncStream.makeStream(of: Void.self)
        let (preparing, release) = AsyncStream.makeStream(of: Void.self)
        func note(_ name: String) -> SymbolLanes.Work { { log.yield(name); return nil } }
        var seen = events.makeAsyncIterator()
        try await Self.running(lanes) {
            #expect(lanes.submit("BTC-USD", {
                log.yield("a")
                for await _ in gate { break }
                return { log.yield("conclude a") }
            }) == .queued(ahead: 0))
            #expect(await seen.next() == "a")
            #expect(lanes.submit("BTC-USD", preparing: {
                log.yield("prepare b")
                for await _ in preparing { break }
                log.yield("prepared b")
            }, note("b")) == .queued(ahead: 0))
            #expect(await seen.next() == "prepare b")
            #expect(lanes.submit("BTC-USD", preparing: { log.yield("prepare c") }, note("c")) == .queued(ahead: 1))
            // "a" ends: "b" waits for its preparation, still held, while "c" is prepared and
            // "a" concludes.
            opener.finish()
            var meanwhile: Set<String> = []
            for _ in 0..<2 { meanwhile.insert(await seen.next() ?? "") }
            #expect(meanwhile == ["prepare c", "conclude a"])
            release.finish()
            var rest: [String] = []
            for _ in 0..<3 { rest.append(await seen.next() ?? "") }
            #expect(rest == ["prepared b", "b", "c"])
        }
        log.finish()
        #expect(await seen.next() == nil)
    }

    /// A piece's conclusion runs while the next piece's work runs, the conclusions one after the
    /// other in the lane's order; the piece after that waits for the conclusion; an idle lane
    /// runs a conclusion before it waits for more.
    @Test func aConclusionRunsWhileTheNextPieceWorksAndConclusionsKeepTheirOrder() async throws {
        let lanes = SymbolLanes(capacity: 4)
        let (events, log) = AsyncStream.makeStream(of: String.self)
        let (gate, opener) = AsyncStream.makeStream(of: Void.self)
        func concluding(_ name: String) -> SymbolLanes.Work {
            { log.yield(name); return { log.yield("conclude \(name)") } }
        }
        #expect(lanes.submit("BTC-USD", {
            log.yield("a")
            return {
                log.yield("conclude a")
                for await _ in gate { break }
                log.yield("concluded a")
            }
        }) == .queued(ahead: 0))
        #expect(lanes.submit("BTC-USD", concluding("b")) == .queued(ahead: 1))
        #expect(lanes.submit("BTC-USD", { log.yield("c"); return nil }) == .queued(ahead: 2))
        var seen = events.makeAsyncIterator()
        try await Self.running(lanes) {
            #expect(await seen.next() == "a")
            // "b" works while "a"'s conclusion is held: neither waits for the other.
            var overlapping: Set<String> = []
            for _ in 0..<2 { overlapping.insert(await seen.next() ?? "") }
            #expect(overlapping == ["conclude a", "b"])
            // Nothing more until "a"'s conclusion ends: "c" waits for it, and so does the
            // conclusion of "b".
            opener.finish()
            #expect(await seen.next() == "concluded a")
            var rest: Set<String> = []
            for _ in 0..<2 { rest.insert(await seen.next() ?? "") }
            #expect(rest == ["conclude b", "c"])
            // An idle lane concludes "d" with nothing behind it.
            #expect(lanes.submit("BTC-USD", concluding("d")) == .queued(ahead: 0))
            #expect(await seen.next() == "d")
            #expect(await seen.next() == "conclude d")
        }
        log.finish()
        #expect(await seen.next() == nil)
    }

    /// Cancelled rather than shut down gracefully, `run()` returns: its lane tasks stop waiting
    /// for work instead of holding the task group open.
    @Test func cancellingRunEndsTheLanesWaitingForWork() async throws {
        let lanes = SymbolLanes()
        let (ran, done) = AsyncStream.makeStream(of: String.self)
        var names = ran.makeAsyncIterator()
        let running = Task { await lanes.run() }
        #expect(lanes.submit("BTC-USD") { done.yield("btc 1"); return nil } == .queued(ahead: 0))
        #expect(lanes.submit("ETH-USD") { done.yield("eth 1"); return nil } == .queued(ahead: 0))
        var seen: Set<String> = []
        for _ in 0..<2 { seen.insert(await names.next() ?? "") }
        #expect(seen == ["btc 1", "eth 1"])
        // Both lane tasks now wait for work; cancelling ends them, and with them `run()`.
        running.cancel()
        await running.value
        #expect(lanes.count == 2)
    }
}
