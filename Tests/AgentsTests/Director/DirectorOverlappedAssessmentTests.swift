@testable import Agents
import AgentsTesting
import Foundation
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// A cycle that asks its own analysis (its lane was idle) asks its assessment at the same time,
/// with its symbol's last report, and uses that verdict only when its analysis came with the
/// same bytes in the same venue epoch; otherwise it asks again. A symbol's first signal, and
/// every signal of a director whose analyst answers on its own loop, is assessed after its
/// analysis.
@Suite(.timeLimit(.minutes(1)))
struct DirectorOverlappedAssessmentTests {
    static let epoch = "00000000000000e1"

    /// A report of `symbol` as the fixture's analyst makes it, with `confidence` and `direction`.
    private static func report(_ symbol: String, confidence: Double = 0.5, direction: Direction = .long) -> AnalysisReport {
        AnalysisReport(symbol: symbol, direction: direction, confidence: confidence, sampleCount: 50, lastPrice: 100, thesis: "fixture")
    }

    /// Two BTC signals on a fixture whose analyst answers `report(isSecond)` once `open()` lets
    /// it (a yield per answer), and whose RiskManager approves `qty(request)` (a verdict that
    /// says what it was asked with), each request's signal id and whether that signal's analysis
    /// had been answered coming on `requests`.
    private final class HeldAnalyses {
        let fixture: DirectorFixture
        let first: (topic: String, body: Data, id: String)
        let second: (topic: String, body: Data, id: String)
        private let opening: AsyncStream<Void>.Continuation
        private var requests: AsyncStream<(signal: String, afterAnalysis: Bool)>.Iterator

        init(report: @escaping @Sendable (_ isSecond: Bool) -> AnalysisReport,
             qty: @escaping @Sendable (AssessRequest) -> WireDecimal = { _ in 2 }) throws {
            let fixture = try DirectorFixture()
            self.fixture = fixture
            let first = try DirectorFixture.signal("BTC-USD", .buy), second = try DirectorFixture.signal("BTC-USD", .buy)
            (self.first, self.second) = (first, second)
            let (open, opening) = AsyncStream.makeStream(of: Void.self)
            let (asked, asking) = AsyncStream.makeStream(of: (signal: String, afterAnalysis: Bool).self)
            (self.opening, requests) = (opening, asked.makeAsyncIterator())
            let answered = Mutex<Set<String>>([])
            fixture.analyst.on(AnalyzeRequest.self) { request in
                for await _ in open { break }
                answered.withLock { _ = $0.insert(request.parentId ?? "") }
                return report(request.parentId == second.id)
            }
            fixture.risk.on(AssessRequest.self) { request in
                let signal = request.parentId ?? ""
                asking.yield((signal, answered.withLock { $0.contains(signal) }))
                let qty = qty(request.payload)
                return RiskVerdict(symbol: request.payload.symbol, side: request.payload.side, approved: true, qty: qty, price: 100,
                                   notional: 200, reason: "approves", limit: nil, plan: nil)
            }
        }

        /// Lets the analyst answer one request.
        func open() { opening.yield() }

        /// The next assessment request.
        func nextRequest() async throws -> (signal: String, afterAnalysis: Bool) { try #require(await requests.next()) }

        /// Decides the first signal (its analysis let through), then sends the second and returns
        /// its first assessment request, which comes while its analysis is held.
        func secondAskedWhileHeld() async throws -> (signal: String, afterAnalysis: Bool) {
            fixture.director.receive(topic: first.topic, body: first.body)
            open()
            let firstAsked = try await nextRequest()
            #expect(firstAsked.signal == first.id && firstAsked.afterAnalysis, "no last report yet: assessed after its analysis")
            _ = try await fixture.decisions(1)
            fixture.director.receive(topic: second.topic, body: second.body)
            return try await nextRequest()
        }
    }

    private static func assessments(_ fixture: DirectorFixture, of id: String) throws -> [AssessRequest] {
        try fixture.risk.received.filter { $0.trace.parentId == id }.map { try $0.decoded(as: AssessRequest.self) }
    }

    @Test func theAssessmentIsAskedWhileTheAnalysisIsOnItsWayAndUsedWhenTheReportComesAlike() async throws {
        let held = try HeldAnalyses { _ in Self.report("BTC-USD") }
        let fixture = held.fixture
        try await SignalCycleTests.running(fixture) {
            // The analyst holds its answer: the RiskManager is asked meanwhile.
            let asked = try await held.secondAskedWhileHeld()
            #expect(asked.signal == held.second.id && !asked.afterAnalysis)
            held.open()
            let decided = try await fixture.decisions(2).map(\.payload)
            #expect(decided.map(\.outcome) == [.filled, .filled] && decided.last?.signalId == held.second.id)
        }
        #expect(try Self.assessments(fixture, of: held.second.id).count == 1, "the verdict asked with the last report was used")
        #expect(fixture.analyst.receivedTypes == ["analyze", "analyze"])
    }

    @Test func anAnalysisThatComesOtherwiseHasTheAssessmentAskedAgainWithIt() async throws {
        // The second signal's analysis is another reading (a tick came between): higher confidence.
        let held = try HeldAnalyses(report: { isSecond in Self.report("BTC-USD", confidence: isSecond ? 0.6 : 0.5) },
                                    qty: { $0.analysis.confidence == 0.6 ? 3 : 2 })
        let fixture = held.fixture
        try await SignalCycleTests.running(fixture) {
            let overlapped = try await held.secondAskedWhileHeld()
            #expect(overlapped.signal == held.second.id && !overlapped.afterAnalysis)
            held.open()
            let again = try await held.nextRequest()
            #expect(again.signal == held.second.id && again.afterAnalysis)
            let decided = try #require(try await fixture.decisions(2).last?.payload)
            #expect(decided.outcome == .filled && decided.filledQty == 3, "decided with the verdict on its own analysis")
            #expect(decided.analysis?.confidence == 0.6)
        }
        #expect(try Self.assessments(fixture, of: held.second.id).map(\.analysis.confidence) == [0.5, 0.6])
    }

    @Test func anAnalysisThatNowContradictsTheSignalRejectsItWithoutAskingAgain() async throws {
        let held = try HeldAnalyses { isSecond in
            isSecond ? Self.report("BTC-USD", confidence: 0.95, direction: .short) : Self.report("BTC-USD")
        }
        let fixture = held.fixture
        try await SignalCycleTests.running(fixture) {
            _ = try await held.secondAskedWhileHeld()
            held.open()
            let decided = try #require(try await fixture.decisions(2).last?.payload)
            #expect(decided.outcome == .rejected && decided.stage == "analyze" && decided.risk == nil)
        }
        #expect(try Self.assessments(fixture, of: held.second.id).count == 1, "the request asked with the last report, and no other")
        #expect(fixture.execution.received.count == 1)
    }

    @Test func aVenueThatRestartedWhileTheAnalysisWasOnItsWayHasTheAssessmentAskedAgain() async throws {
        let held = try HeldAnalyses { _ in Self.report("BTC-USD") }
        let fixture = held.fixture
        var seen = OrderReport(orderId: "O-0", clientOrderId: "c-0", account: "desk", symbol: "ETH-USD", side: .buy, type: .market,
                               status: .filled, qty: 1, filledQty: 1, avgPrice: 100, fills: [], reason: nil, reasonCode: nil)
        seen.venueEpoch = Self.epoch
        seen.accountVersion = 10
        fixture.director.cycle.versions.saw(seen)
        try await SignalCycleTests.running(fixture) {
            _ = try await held.secondAskedWhileHeld()
            // An order report of the venue's next run comes while the analysis is held.
            seen.venueEpoch = "00000000000000e2"
            seen.accountVersion = 1
            fixture.director.cycle.versions.saw(seen)
            held.open()
            let again = try await held.nextRequest()
            #expect(again.signal == held.second.id && again.afterAnalysis)
            #expect(try await fixture.decisions(2).last?.payload.outcome == .filled)
        }
        #expect(try Self.assessments(fixture, of: held.second.id).map(\.venueEpoch) == [Self.epoch, "00000000000000e2"])
    }

    /// Sends `count` BTC signals one at a time, each decided before the next (`before(index)` run
    /// first), to an analyst whose report for the signal at `index` has confidence `base + index /
    /// 100`: another reading at every request. Returns the confidences each signal's assessments
    /// were asked with.
    private static func inTurn(_ fixture: DirectorFixture, count: Int, base: Double = 0.5,
                               before: (Int) async -> Void = { _ in }) async throws -> [[Double]] {
        let signals = try (0 ..< count).map { _ in try DirectorFixture.signal("BTC-USD", .buy) }
        let confidences = Dictionary(uniqueKeysWithValues: signals.enumerated().map { ($1.id, base + Double($0) / 100) })
        fixture.analyst.on(AnalyzeRequest.self) { request in
            Self.report("BTC-USD", confidence: confidences[request.parentId ?? ""] ?? 0)
        }
        try await SignalCycleTests.running(fixture) {
            for (index, signal) in signals.enumerated() {
                await before(index)
                fixture.director.receive(topic: signal.topic, body: signal.body)
                _ = try await fixture.decisions(index + 1)
            }
        }
        return try signals.map { try Self.assessments(fixture, of: $0.id).map(\.analysis.confidence) }
    }

    @Test func aTickOfTheSymbolSinceItsLastReportHasTheNextSignalAssessedAfterItsAnalysis() async throws {
        let fixture = try DirectorFixture()
        let asked = try await Self.inTurn(fixture, count: 3) { index in
            // A tick of another symbol leaves BTC's last report standing; one of BTC does not.
            if index == 1 { await fixture.director.quote(symbol: "ETH-USD", bid: 99, ask: 101) }
            if index == 2 { await fixture.director.quote(symbol: "BTC-USD", bid: 99, ask: 101) }
        }
        #expect(asked == [[0.5], [0.5, 0.51], [0.52]])
    }

    @Test func anAnalystWhoseReportsDifferAtEveryRequestHasTheOverlapPaused() async throws {
        let count = 2 + OverlapHistory.window + OverlapHistory.trialEvery
        let asked = try await Self.inTurn(try DirectorFixture(), count: count, base: 0.3).map(\.count)
        // The first has no last report; the next `window` ask with it and again; then one request
        // each, but for the trial, the `trialEvery`th signal passed over.
        let paused = Array(repeating: 1, count: OverlapHistory.trialEvery - 1)
        #expect(asked == [1] + Array(repeating: 2, count: OverlapHistory.window) + paused + [2, 1])
    }

    @Test func theOverlapPausesWhileTooFewOfTheLatestVerdictsWereUsedAndResumesOnceEnoughAre() {
        let history = OverlapHistory()
        // Until the window is full every signal asks, whatever became of the others.
        for _ in 0 ..< OverlapHistory.window {
            #expect(history.shouldOverlap())
            history.record(used: false)
        }
        let tries = (0 ..< 2 * OverlapHistory.trialEvery).map { _ in history.shouldOverlap() }
        #expect(tries.indices.filter { tries[$0] } == [OverlapHistory.trialEvery - 1, 2 * OverlapHistory.trialEvery - 1])
        // Trials that are used push the given-up ones out; at `usedAtLeast` every signal asks again.
        for _ in 0 ..< OverlapHistory.usedAtLeast - 1 { history.record(used: true) }
        #expect(!history.shouldOverlap())
        history.record(used: true)
        #expect((0 ..< 3).allSatisfy { _ in history.shouldOverlap() })
        // A few given up among mostly used ones change nothing.
        for _ in 0 ..< OverlapHistory.window - OverlapHistory.usedAtLeast { history.record(used: false) }
        #expect(history.shouldOverlap())
        history.record(used: false)
        #expect(!history.shouldOverlap())
    }

    @Test func aDirectorWhoseAnalystAnswersOnItsOwnLoopAssessesAfterTheAnalysis() async throws {
        // A request asked with the last report would carry the confidence of the signal before.
        let asked = try await Self.inTurn(try DirectorFixture(analysisAhead: false), count: 3)
        #expect(asked == [[0.5], [0.51], [0.52]])
    }
}
