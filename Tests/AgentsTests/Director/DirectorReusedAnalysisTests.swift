@testable import Agents
import AgentsTesting
import Foundation
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// A report that says it holds until its symbol's next tick is taken for the symbol's next
/// signals without asking the analyst, until a tick of the symbol comes or `LastAnalyses.reusedFor`
/// has passed; a report that says nothing of the kind is asked for every signal, and one answered
/// while a tick of its symbol came is not kept.
@Suite(.timeLimit(.minutes(1)))
struct DirectorReusedAnalysisTests {
    /// Sends `symbols.count` signals one at a time, each decided before the next (`before(index)`
    /// run first), to an analyst whose `n`th answer (from 0) has confidence `0.5 + n / 100` and
    /// says it holds until the tick when `holds`. Returns, per signal, the confidence its
    /// decision's analysis had and whether the analyst was asked for it.
    private static func inTurn(_ fixture: DirectorFixture, _ symbols: [String], holds: Bool = true,
                               before: (Int) async -> Void = { _ in }) async throws -> [(confidence: Double?, asked: Bool)] {
        let signals = try symbols.map { try DirectorFixture.signal($0, .buy) }
        let answers = Mutex(0)
        fixture.analyst.on(AnalyzeRequest.self) { request in
            let answer = answers.withLock { count in
                defer { count += 1 }
                return count
            }
            return AnalysisReport(symbol: request.payload.symbol, direction: .long, confidence: 0.5 + Double(answer) / 100,
                                  sampleCount: 50, lastPrice: 100, thesis: "fixture", holdsUntilTick: holds ? true : nil)
        }
        var decided: [DecisionPayload] = []
        try await SignalCycleTests.running(fixture) {
            for (index, signal) in signals.enumerated() {
                await before(index)
                fixture.director.receive(topic: signal.topic, body: signal.body)
                decided = try await fixture.decisions(index + 1).map(\.payload)
            }
        }
        let asked = Set(fixture.analyst.received.compactMap(\.trace.parentId))
        return signals.map { signal in
            let decision = decided.first { $0.signalId == signal.id }
            #expect(decision?.outcome == .filled, "\(decision?.reason ?? "no decision")")
            return (decision?.analysis?.confidence, asked.contains(signal.id))
        }
    }

    @Test func aReportThatHoldsUntilTheTickIsTakenForItsSymbolsNextSignalsWithoutAsking() async throws {
        let fixture = try DirectorFixture()
        let cycles = try await Self.inTurn(fixture, ["BTC-USD", "BTC-USD", "ETH-USD", "BTC-USD", "ETH-USD"])
        #expect(cycles.map(\.asked) == [true, false, true, false, false])
        #expect(cycles.map(\.confidence) == [0.5, 0.5, 0.51, 0.5, 0.51])
        // The assessment carried the report taken, as it carries one asked.
        let assessed = try fixture.risk.received.map { try $0.decoded(as: AssessRequest.self).analysis.confidence }
        #expect(assessed == [0.5, 0.5, 0.51, 0.5, 0.51])
    }

    @Test func aTickOfTheSymbolHasItsNextSignalAskAgainAndATickOfAnotherDoesNot() async throws {
        let fixture = try DirectorFixture()
        let cycles = try await Self.inTurn(fixture, ["BTC-USD", "BTC-USD", "BTC-USD", "BTC-USD"]) { index in
            if index == 1 { await fixture.director.quote(symbol: "ETH-USD", bid: 99, ask: 101) }
            if index == 2 { await fixture.director.quote(symbol: "BTC-USD", bid: 99, ask: 101) }
        }
        #expect(cycles.map(\.asked) == [true, false, true, false])
        #expect(cycles.map(\.confidence) == [0.5, 0.5, 0.51, 0.51])
    }

    @Test func aReportIsTakenForAtMostItsLimitAfterItCame() async throws {
        let fixture = try DirectorFixture()
        let limit = Double(LastAnalyses.reusedFor) / 1_000_000
        let cycles = try await Self.inTurn(fixture, ["BTC-USD", "BTC-USD", "BTC-USD", "BTC-USD"]) { index in
            // No tick comes; the clock passes the limit once, after the second signal.
            if index == 1 { fixture.time.advance(seconds: limit * 0.9) }
            if index == 2 { fixture.time.advance(seconds: limit * 0.2) }
        }
        #expect(cycles.map(\.asked) == [true, false, true, false])
    }

    @Test func aReportThatSaysNothingOfTheTickIsAskedForEverySignal() async throws {
        // In one process too, where no assessment is asked with the last report.
        for analysisAhead in [true, false] {
            let cycles = try await Self.inTurn(try DirectorFixture(analysisAhead: analysisAhead), ["BTC-USD", "BTC-USD", "BTC-USD"], holds: false)
            #expect(cycles.map(\.asked) == [true, true, true])
            #expect(cycles.map(\.confidence) == [0.5, 0.51, 0.52])
        }
    }

    @Test func aDirectorWhoseAnalystAnswersOnItsOwnLoopTakesTheReportToo() async throws {
        let cycles = try await Self.inTurn(try DirectorFixture(analysisAhead: false), ["BTC-USD", "BTC-USD"])
        #expect(cycles.map(\.asked) == [true, false])
    }

    @Test func aSignalWaitingBehindARunningOneTakesTheReportAsItIsPrepared() async throws {
        let fixture = try DirectorFixture()
        let (open, opening) = AsyncStream.makeStream(of: Void.self)
        let orders = Mutex(0)
        fixture.execution.on(ExecuteRequest.self) { request in
            // The second order is held, so the third signal waits in the lane behind it.
            if orders.withLock({ $0 += 1; return $0 }) == 2 {
                for await _ in open { break }
            }
            let order = request.payload.order
            return OrderReport(orderId: "O-\(order.clientOrderId)", clientOrderId: order.clientOrderId, account: order.account,
                               symbol: order.symbol, side: order.side, type: order.type, status: .filled, qty: order.qty,
                               filledQty: order.qty, avgPrice: 100, fills: [], reason: nil, reasonCode: nil)
        }
        fixture.analyst.on(AnalyzeRequest.self) { request in
            AnalysisReport(symbol: request.payload.symbol, direction: .long, confidence: 0.5, sampleCount: 50, lastPrice: 100,
                           thesis: "fixture", holdsUntilTick: true)
        }
        let signals = try (0 ..< 3).map { _ in try DirectorFixture.signal("BTC-USD", .buy) }
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: signals[0].topic, body: signals[0].body)
            _ = try await fixture.decisions(1)
            fixture.director.receive(topic: signals[1].topic, body: signals[1].body)
            fixture.director.receive(topic: signals[2].topic, body: signals[2].body)
            opening.yield()
            let decided = try await fixture.decisions(3).map(\.payload.outcome)
            #expect(decided == [.filled, .filled, .filled])
        }
        #expect(fixture.analyst.receivedTypes == ["analyze"], "only the first signal's analysis was asked")
    }

    @Test func aReportAnsweredWhileATickOfItsSymbolCameIsUsedButNotKept() async throws {
        let fixture = try DirectorFixture()
        let (asked, asking) = AsyncStream.makeStream(of: Void.self)
        let (open, opening) = AsyncStream.makeStream(of: Void.self)
        let answers = Mutex(0)
        fixture.analyst.on(AnalyzeRequest.self) { request in
            let answer = answers.withLock { count in
                defer { count += 1 }
                return count
            }
            if answer == 0 {
                asking.yield()
                for await _ in open { break }
            }
            return AnalysisReport(symbol: request.payload.symbol, direction: .long, confidence: 0.5 + Double(answer) / 100,
                                  sampleCount: 50, lastPrice: 100, thesis: "fixture", holdsUntilTick: true)
        }
        let first = try DirectorFixture.signal("BTC-USD", .buy), second = try DirectorFixture.signal("BTC-USD", .buy)
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: first.topic, body: first.body)
            var waiting = asked.makeAsyncIterator()
            _ = await waiting.next()
            // The tick reaches the director while the first analysis is on its way: the report may
            // be of the prices before it, so it stands for its own signal only.
            await fixture.director.quote(symbol: "BTC-USD", bid: 99, ask: 101)
            opening.yield()
            let firstDecided = try await fixture.decisions(1).first?.payload
            #expect(firstDecided?.analysis?.confidence == 0.5)
            fixture.director.receive(topic: second.topic, body: second.body)
            let secondDecided = try await fixture.decisions(2).last?.payload
            #expect(secondDecided?.analysis?.confidence == 0.51)
        }
        #expect(fixture.analyst.receivedTypes == ["analyze", "analyze"])
    }
}
