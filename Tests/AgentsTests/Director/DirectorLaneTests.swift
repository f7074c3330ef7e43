import Agents
import AgentsTesting
import Configuration
import Foundation
import Ledger
import ServiceLifecycleTestKit
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// Lanes, exits and shutdown: per-symbol order with symbols in parallel, every accepted signal
/// decided before a graceful shutdown ends, and the exits of the positions entries open.
@Suite(.timeLimit(.minutes(1)))
struct DirectorLaneTests {
    @Test func aSymbolWaitsForItsEarlierSignalWhileAnotherSymbolGoesAhead() async throws {
        let fixture = try DirectorFixture()
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let (askedAhead, asked) = AsyncStream.makeStream(of: Void.self)
        let first = try DirectorFixture.signal("BTC-USD", .buy)
        let second = try DirectorFixture.signal("BTC-USD", .sell)
        let third = try DirectorFixture.signal("BTC-USD", .buy)
        let other = try DirectorFixture.signal("ETH-USD", .buy)
        fixture.analyst.on(AnalyzeRequest.self) { request in
            // The first BTC signal's analysis waits until the test opens the gate.
            if request.parentId == first.id { for await _ in gate { break } }
            if request.parentId == second.id { asked.yield() }
            return AnalysisReport(symbol: request.payload.symbol, direction: .flat, confidence: 0, sampleCount: 50, lastPrice: 100, thesis: "gated")
        }
        // Queued before the lanes run, so BTC's lane finds the second waiting behind the first
        // when it starts the first, whatever the threads' timing.
        for signal in [first, second, third, other] { fixture.director.receive(topic: signal.topic, body: signal.body) }
        try await SignalCycleTests.running(fixture) {
            // ETH is decided while BTC's first signal is still held at its analysis…
            #expect(try await fixture.decisions(1).map(\.payload.signalId) == [other.id])
            // …while the second, next in BTC's lane, has its analysis asked ahead; nothing else
            // of it (its assessment reads what the first's order will have done), and nothing of
            // the third, which is not next.
            var asks = askedAhead.makeAsyncIterator()
            await asks.next()
            #expect(fixture.risk.received.filter { $0.trace.parentId == second.id }.isEmpty)
            #expect(fixture.analyst.received.filter { $0.trace.parentId == third.id }.isEmpty)
            open.yield()
            // …and BTC's three follow in the order they arrived, each analysed once.
            let all = try await fixture.decisions(4).map(\.payload.signalId)
            #expect(all == [other.id, first.id, second.id, third.id])
        }
        for id in [first.id, second.id, third.id] {
            #expect(fixture.analyst.received.filter { $0.trace.parentId == id }.count == 1)
            #expect(fixture.risk.received.filter { $0.trace.parentId == id }.count == 1)
        }
        let assessed = fixture.risk.received.map(\.trace.parentId).filter { [first.id, second.id, third.id].contains($0) }
        #expect(assessed == [first.id, second.id, third.id])
    }

    /// Without `analysisAhead` (one process, where the analyst answers on the director's own
    /// loop), a symbol's next signal is not analysed before the signal ahead of it is decided.
    @Test func withoutAnalysisAheadTheNextSignalWaitsForItsAnalysisToo() async throws {
        let fixture = try DirectorFixture(analysisAhead: false)
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let first = try DirectorFixture.signal("BTC-USD", .buy)
        let second = try DirectorFixture.signal("BTC-USD", .sell)
        let other = try DirectorFixture.signal("ETH-USD", .buy)
        fixture.analyst.on(AnalyzeRequest.self) { request in
            if request.parentId == first.id { for await _ in gate { break } }
            return AnalysisReport(symbol: request.payload.symbol, direction: .flat, confidence: 0, sampleCount: 50, lastPrice: 100, thesis: "gated")
        }
        // Queued before the lanes run, as in the test above: with the analysis asked ahead, the
        // second would be asked for as soon as the first starts.
        for signal in [first, second, other] { fixture.director.receive(topic: signal.topic, body: signal.body) }
        try await SignalCycleTests.running(fixture) {
            let decidedFirst = try await fixture.decisions(1).map(\.payload.signalId)
            #expect(decidedFirst == [other.id])
            #expect(fixture.analyst.received.filter { $0.trace.parentId == second.id }.isEmpty)
            open.yield()
            let decided = try await fixture.decisions(3).map(\.payload.signalId)
            #expect(decided == [other.id, first.id, second.id])
        }
    }

    /// A signal's decision is recorded and published while the next signal of its symbol is
    /// assessed: with the journal's commits held once the first order has been recorded, the
    /// second signal is still assessed, and both decisions follow, in order, once they commit.
    @Test func theNextSignalIsAssessedWhileTheDecisionBeforeItIsRecorded() async throws {
        let commits = HeldCommits()
        let path = try DirectorRecoveryTests.storePath()
        defer { DirectorRecoveryTests.removeStore(at: path) }
        let journal = DirectorJournal(store: try DirectorStore(path: path),
                                      scheduler: { commits.schedule($0) }) { problem in Issue.record("the store failed: \(problem)") }
        let fixture = try DirectorFixture(journal: journal)
        let first = try DirectorFixture.signal("BTC-USD", .buy)
        let second = try DirectorFixture.signal("BTC-USD", .buy)
        let (assessedSecond, assessing) = AsyncStream.makeStream(of: Void.self)
        fixture.risk.on(AssessRequest.self) { request in
            if request.parentId == second.id { assessing.yield() }
            return RiskVerdict(symbol: request.payload.symbol, side: request.payload.side, approved: true, qty: 2, price: 100,
                               notional: 200, reason: "approves", limit: nil, plan: nil)
        }
        for signal in [first, second] { fixture.director.receive(topic: signal.topic, body: signal.body) }
        try await SignalCycleTests.running(fixture) {
            var handed = commits.handed.makeAsyncIterator()
            // The first commit is the first order's record (the signals' arrivals ride on it):
            // it runs, and every commit after it waits.
            await handed.next()
            commits.runHeld()
            var assessed = assessedSecond.makeAsyncIterator()
            await assessed.next()
            // The second signal was assessed while the first's decision waits for its commit.
            #expect(fixture.bus.events.filter { $0.type == EventType.decision }.isEmpty)
            #expect(fixture.execution.received.count == 1)
            commits.release()
            let decided = try await fixture.decisions(2).map(\.payload)
            #expect(decided.map(\.signalId) == [first.id, second.id])
            #expect(decided.allSatisfy { $0.outcome == .filled })
        }
        #expect(try journal.store.decision(of: first.id) != nil)
        #expect(try journal.store.decision(of: second.id) != nil)
    }

    @Test func aSignalForASymbolTheVenueDoesNotListIsRejectedAtIntakeWithoutALane() async throws {
        let fixture = try DirectorFixture()
        try await SignalCycleTests.running(fixture) {
            var ids: [String] = []
            for index in 0..<40 {
                let signal = try DirectorFixture.signal("NEW\(index)-USD", .buy)
                ids.append(signal.id)
                fixture.director.receive(topic: signal.topic, body: signal.body)
            }
            let rejected = try await fixture.decisions(40).map(\.payload)
            #expect(rejected.map(\.signalId) == ids)
            #expect(rejected.allSatisfy { $0.outcome == .rejected && $0.stage == "validate" })
            #expect(rejected.first?.reason == "NEW0-USD is not listed at the venue (market.symbols: ADA-USD, BTC-USD, ETH-USD, SOL-USD); send one of those, or add the symbol to the topology's market.symbols")
            // No cycle ran and no lane was opened for any of them…
            #expect(fixture.analyst.received.isEmpty)
            #expect(fixture.director.lanes.count == 0)
            // …while a listed symbol's signal still trades in a lane of its own.
            let listed = try DirectorFixture.signal("BTC-USD", .buy)
            fixture.director.receive(topic: listed.topic, body: listed.body)
            let decided = try #require(try await fixture.decisions(41).last?.payload)
            #expect(decided.signalId == listed.id && decided.outcome == .filled)
            #expect(fixture.director.lanes.count == 1)
        }
    }

    @Test func gracefulShutdownDecidesEverySignalAlreadyAccepted() async throws {
        let fixture = try DirectorFixture()
        var ids: [String] = []
        try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await fixture.director.lanes.run() }
                for index in 0..<12 {
                    let signal = try DirectorFixture.signal(index.isMultiple(of: 3) ? "ETH-USD" : "BTC-USD", index.isMultiple(of: 2) ? .buy : .sell)
                    ids.append(signal.id)
                    fixture.director.receive(topic: signal.topic, body: signal.body)
                }
                shutdown.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        // `run()` returned only after the last of them was decided.
        let decided = fixture.bus.events.filter { $0.type == EventType.decision }
        #expect(Set(try decided.map { try $0.decoded(as: DecisionPayload.self).payload.signalId }) == Set(ids))
        #expect(decided.count == 12)
        // Work offered after the lanes stopped is refused, not silently queued.
        #expect(fixture.director.lanes.submit("BTC-USD") { nil } == .stopped)
    }

    @Test func aStopLossClosesThePositionInATraceOfItsOwnParentedToTheEntry() async throws {
        let fixture = try DirectorFixture()
        let entry = try DirectorFixture.signal("BTC-USD", .buy)
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: entry.topic, body: entry.body)
            _ = try await fixture.decisions(1)
            await fixture.director.quote(symbol: "BTC-USD", bid: 96, ask: 96.1)   // above the stop at 95: nothing
            await fixture.director.quote(symbol: "BTC-USD", bid: 94.5, ask: 94.6)
            let decision = try #require(try await fixture.decisions(2).last)
            #expect(decision.payload.stage == "exit" && decision.payload.outcome == .filled && decision.payload.side == .sell)
            #expect(decision.payload.reason.hasPrefix("stop-loss at 95"))
        }
        let event = try #require(fixture.bus.events.first { $0.type == EventType.exit })
        let exit = try event.decoded(as: ExitPayload.self)
        #expect(event.topic == "exit.BTC-USD")
        #expect(exit.parentId == entry.id && exit.payload.reason == "stop_loss" && exit.payload.qty == 2)
        let orders = try fixture.execution.received.map { try $0.decoded(as: ExecuteRequest.self).order }
        #expect(orders.map(\.side) == [.buy, .sell] && orders.last?.qty == 2)
        #expect(orders.last?.clientOrderId.hasPrefix("exit-\(entry.id)-") == true)
        let closed = try #require(fixture.analytics.closed.first)
        #expect(closed.reason == "stop_loss" && closed.openingSignalId == entry.id && closed.trades.map(\.qty) == [2])
        #expect(await fixture.director.positions(symbol: nil).positions.isEmpty)
    }

    @Test func theTradesAnEntryClosesAreRecordedOnceItsDecisionHasLeft() async throws {
        let fixture = try DirectorFixture(deferringAfterSends: true)
        let deferring = try #require(fixture.deferring)
        let buy = try DirectorFixture.signal("BTC-USD", .buy)
        let sell = try DirectorFixture.signal("BTC-USD", .sell)
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: buy.topic, body: buy.body)
            _ = try await fixture.decisions(1)
            deferring.runHeld()
            #expect(fixture.analytics.closed.isEmpty, "the entry closed nothing")
            fixture.director.receive(topic: sell.topic, body: sell.body)
            let decision = try #require(try await fixture.decisions(2).last)
            #expect(decision.payload.outcome == .filled && decision.payload.reason.contains("closed 1 opposite position(s)"))
            #expect(fixture.analytics.closed.isEmpty, "the closed trade waits for the decision to leave")
            #expect(deferring.heldCount == 1)
            deferring.runHeld()
        }
        let closed = try #require(fixture.analytics.closed.first)
        #expect(fixture.analytics.closed.count == 1)
        #expect(closed.openingSignalId == buy.id && closed.reason == AnalyticsTrade.signalExitReason && closed.trades.map(\.qty) == [2])
    }

    @Test func theTimeStopClosesAPositionHeldTooLong() async throws {
        var settings = DirectorSection()
        settings.timeStopS = 30
        let fixture = try DirectorFixture(settings: settings)
        let entry = try DirectorFixture.signal("ETH-USD", .buy)
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: entry.topic, body: entry.body)
            _ = try await fixture.decisions(1)
            // A quote between the stop and the target: the time stop exits at the last price seen.
            await fixture.director.quote(symbol: "ETH-USD", bid: 101, ask: 101.1)
            fixture.time.advance(seconds: 29)
            await fixture.director.reevaluate()
            fixture.time.advance(seconds: 2)
            await fixture.director.reevaluate()
            let decision = try #require(try await fixture.decisions(2).last).payload
            #expect(decision.stage == "exit" && decision.side == .sell && decision.reason.hasPrefix("time stop at 101"))
        }
        #expect(fixture.bus.events.filter { $0.type == EventType.exit }.count == 1)
        #expect(fixture.analytics.closed.map(\.reason) == ["time_stop"])
    }
    @Test func anExitWhoseOrderWasNotAnsweredIsRetriedWithTheSameClientOrderId() async throws {
        let fixture = try DirectorFixture()
        let entry = try DirectorFixture.signal("BTC-USD", .buy)
        let calls = Mutex(0)
        let filling = fixture.execution
        fixture.execution.on(ExecuteRequest.self) { request in
            let call = calls.withLock { $0 += 1; return $0 }
            // The entry fills; the first exit order gets no answer; the retry fills.
            if call == 2 { throw ProtocolError(.timeout, "execution-agent did not answer") }
            let order = request.payload.order
            let fill = FillPayload(orderId: "O-\(call)", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                                   side: order.side, price: 94.5, qty: order.qty, fee: 0.1)
            return OrderReport(orderId: "O-\(call)", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                               side: order.side, type: order.type, status: .filled, qty: order.qty, filledQty: order.qty,
                               avgPrice: 94.5, fills: [fill], reason: nil, reasonCode: nil)
        }
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: entry.topic, body: entry.body)
            _ = try await fixture.decisions(1)
            await fixture.director.quote(symbol: "BTC-USD", bid: 94.5, ask: 94.6)
            let failed = try #require(try await fixture.decisions(2).last).payload
            #expect(failed.stage == "exit" && failed.outcome == .failed && failed.reason.hasSuffix("will retry"))
            // Still watched, armed again: the next quote below the stop sends the exit again.
            #expect(await fixture.director.positions(symbol: "BTC-USD").positions.count == 1)
            await fixture.director.quote(symbol: "BTC-USD", bid: 94.4, ask: 94.5)
            let filled = try #require(try await fixture.decisions(3).last).payload
            #expect(filled.stage == "exit" && filled.outcome == .filled)
        }
        let exits = try filling.received.dropFirst().map { try $0.decoded(as: ExecuteRequest.self).order.clientOrderId }
        #expect(exits.count == 2 && exits[0] == exits[1] && exits[0].hasPrefix("exit-\(entry.id)-"))
        #expect(await fixture.director.positions(symbol: nil).positions.isEmpty)
    }
}

/// Commits of a journal whose scheduler holds them: each is handed over (`handed`) and waits
/// until the test runs it, until `release()` lets every commit run as it comes.
final class HeldCommits: Sendable {
    private let state = Mutex<(holding: Bool, held: [@Sendable () -> Void])>((true, []))
    let handed: AsyncStream<Void>
    private let hand: AsyncStream<Void>.Continuation

    init() { (handed, hand) = AsyncStream.makeStream() }

    /// The journal's scheduler: holds `commit` while holding, else runs it on a task of its own.
    func schedule(_ commit: @escaping @Sendable () -> Void) {
        let held = state.withLock { state in
            if state.holding { state.held.append(commit) }
            return state.holding
        }
        if held { hand.yield() } else { Task { commit() } }
    }

    /// Runs the commits held so far and keeps holding those to come.
    func runHeld() {
        for commit in state.withLock({ state in defer { state.held.removeAll() }; return state.held }) { commit() }
    }

    /// Runs the commits held so far and every commit to come.
    func release() {
        let held = state.withLock { state in
            state.holding = false
            defer { state.held.removeAll() }
            return state.held
        }
        for commit in held { commit() }
    }
}
