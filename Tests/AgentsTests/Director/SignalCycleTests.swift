import Agents
import AgentsTesting
import Configuration
import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// The director's cycle run in-process against fake peers: one decision per signal, the steps
/// in order, each refusal or failure at the step that caused it.
@Suite(.timeLimit(.minutes(1)))
struct SignalCycleTests {
    /// Runs the director's lanes while `body` runs, then shuts them down gracefully.
    static func running(_ fixture: DirectorFixture, _ body: () async throws -> Void) async throws {
        try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await fixture.director.lanes.run() }
                try await body()
                shutdown.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test func aFilledCycleAsksEachPeerInTurnAndEndsInOneFilledDecision() async throws {
        let fixture = try DirectorFixture()
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await Self.running(fixture) {
            #expect(fixture.director.receive(topic: signal.topic, body: signal.body) == nil)
            let decisions = try await fixture.decisions(1)
            let decision = try #require(decisions.first)
            #expect(decision.payload.outcome == .filled && decision.payload.stage == "done")
            #expect(decision.payload.signalId == signal.id && decision.parentId == signal.id)
            #expect(decision.payload.filledQty == 2 && decision.payload.avgPrice == 100)
            #expect(decision.payload.reason == "bought 2 BTC-USD at 100 (order O-1); watching stop 95.00, targets 110.00")
        }
        #expect(fixture.analyst.receivedTypes == ["analyze"] && fixture.risk.receivedTypes == ["assess"])
        // Each through its peer's requirement of its own type, which a client answers specialized.
        let requests = fixture.analyst.received + fixture.risk.received + fixture.execution.received
        #expect(requests.count == 3 && requests.allSatisfy { $0.typed })
        let order = try #require(fixture.execution.received.first).decoded(as: ExecuteRequest.self).order
        #expect(order.clientOrderId == "sig-\(signal.id)" && order.account == "desk" && order.qty == 2 && order.type == .market)
        // Every hop is sent in the signal's trace.
        #expect(fixture.execution.received.first?.trace.traceId == fixture.analyst.received.first?.trace.traceId)
        let watched = await fixture.director.positions(symbol: "BTC-USD").positions
        #expect(watched.map(\.openingSignalId) == [signal.id] && watched.first?.stopPrice == 95)
    }

    /// The reason of a filled decision names the fill, the order, the stop and every target,
    /// in the plan's order, as prices are written (two decimals, or eight below 1).
    @Test func aFilledDecisionsReasonNamesItsStopAndEveryTarget() async throws {
        let fixture = try DirectorFixture()
        var plan = try DirectorFixture.plan(stop: 95, target: 110, qty: 2)
        plan.targets = [PlanTargetPayload(riskReward: 2, fraction: 0.5, price: 110, qty: 1),
                        PlanTargetPayload(riskReward: 3, fraction: 0.3, price: 115, qty: 0.6),
                        PlanTargetPayload(riskReward: 4, fraction: 0.2, price: 120.5, qty: 0.4)]
        fixture.risk.on(AssessRequest.self) { [plan] request in
            RiskVerdict(symbol: request.payload.symbol, side: request.payload.side, approved: true, qty: 2, price: 100,
                        notional: 200, reason: "fixture approves", limit: nil, plan: plan)
        }
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await Self.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            let decision = try #require(try await fixture.decisions(1).first).payload
            #expect(decision.outcome == .filled)
            #expect(decision.reason == "bought 2 BTC-USD at 100 (order O-1); watching stop 95.00, targets 110.00/115.00/120.50")
        }
    }

    @Test func anAnalysisAgainstTheSignalRejectsItBeforeRisk() async throws {
        let fixture = try DirectorFixture(direction: .short, confidence: 0.7)
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await Self.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            let decision = try #require(try await fixture.decisions(1).first).payload
            #expect(decision.outcome == .rejected && decision.stage == "analyze")
            #expect(decision.reason.contains("contradicts") && decision.reason.contains("0.70 ≥ 0.60"))
        }
        #expect(fixture.risk.received.isEmpty && fixture.execution.received.isEmpty)
    }

    @Test func aRiskRefusalRejectsAtAssessAndSendsNoOrder() async throws {
        let fixture = try DirectorFixture()
        fixture.risk.on(AssessRequest.self) { request in
            RiskVerdict(symbol: request.payload.symbol, side: request.payload.side, approved: false, qty: 0, price: 100, notional: 0,
                        reason: "too hot", limit: "maxPortfolioHeatPct")
        }
        let signal = try DirectorFixture.signal("ETH-USD", .sell)
        try await Self.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            let decision = try #require(try await fixture.decisions(1).first).payload
            #expect(decision.outcome == .rejected && decision.stage == "assess" && decision.reason == "risk: too hot")
            #expect(decision.risk?.limit == "maxPortfolioHeatPct")
        }
        #expect(fixture.execution.received.isEmpty)
        #expect(await fixture.director.positions(symbol: nil).positions.isEmpty)
    }

    @Test func anUnansweredStepFailsTheCycleNamingTheStep() async throws {
        var settings = DirectorSection()
        settings.orderInDoubtMs = 0
        let fixture = try DirectorFixture(settings: settings)
        fixture.execution.on(ExecuteRequest.self) { _ in throw ProtocolError(.timeout, "execution-agent did not answer") }
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await Self.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            let decision = try #require(try await fixture.decisions(1).first).payload
            #expect(decision.outcome == .failed && decision.stage == "execute")
            #expect(decision.reason == "execute failed: execution-agent did not answer")
        }
        #expect(fixture.execution.received.count == 1)
    }

    /// Answers `ExecuteRequest`s with `failure` for the first `failing`, then fills them.
    private static func failing(_ failing: Int, with failure: ProtocolError, _ fixture: DirectorFixture) {
        let count = SendCount()
        fixture.execution.on(ExecuteRequest.self) { request in
            if count.next() <= failing { throw failure }
            let order = request.payload.order
            return OrderReport(orderId: "O-1", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                               side: order.side, type: order.type, status: .filled, qty: order.qty, filledQty: order.qty,
                               avgPrice: 100, fills: [], reason: nil, reasonCode: nil)
        }
    }

    /// The client order ids of the orders the fixture's execution agent was sent.
    private static func sent(_ fixture: DirectorFixture) throws -> [String] {
        try fixture.execution.received.map { try $0.decoded(as: ExecuteRequest.self).order.clientOrderId }
    }

    @Test(arguments: [ProtocolError.Code.timeout, .unreachable, .busy])
    func anOrderLeftInDoubtIsSentAgainUntilAnAnswerSaysWhatItDid(code: ProtocolError.Code) async throws {
        let fixture = try DirectorFixture()
        Self.failing(2, with: ProtocolError(code, "execution-agent did not answer"), fixture)
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await Self.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            let decision = try #require(try await fixture.decisions(1).first).payload
            #expect(decision.outcome == .filled && decision.filledQty == 2)
        }
        // The same order each time: the venue executes a client order id once.
        #expect(try Self.sent(fixture) == Array(repeating: "sig-\(signal.id)", count: 3))
    }

    @Test func anOrderStillInDoubtWhenItsTimeIsUpFailsSayingSo() async throws {
        var settings = DirectorSection()
        settings.orderInDoubtMs = 300
        let fixture = try DirectorFixture(settings: settings)
        Self.failing(.max, with: ProtocolError(.unreachable, "execution-agent unreachable"), fixture)
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await Self.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            let decision = try #require(try await fixture.decisions(1).first).payload
            #expect(decision.outcome == .failed && decision.stage == "execute")
            #expect(decision.reason.hasPrefix("execute failed: execution-agent unreachable; order sig-\(signal.id) in doubt after "))
            #expect(decision.reason.contains("it may have reached the venue"))
        }
        #expect(try Self.sent(fixture).count >= 2)
    }

    @Test func anOrderRefusedBeforeItWasPlacedIsNotSentAgain() async throws {
        let fixture = try DirectorFixture()
        Self.failing(.max, with: ProtocolError(.invalidValue, "qty: not a whole number of lots"), fixture)
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await Self.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            let decision = try #require(try await fixture.decisions(1).first).payload
            #expect(decision.outcome == .failed && decision.reason == "execute failed: qty: not a whole number of lots")
        }
        #expect(try Self.sent(fixture).count == 1)
    }

    @Test func aRepublishedSignalIsDecidedOnce() async throws {
        let fixture = try DirectorFixture()
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        let other = try DirectorFixture.signal("BTC-USD", .sell)
        try await Self.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            fixture.director.receive(topic: signal.topic, body: signal.body)
            fixture.director.receive(topic: other.topic, body: other.body)
            // The third signal's decision comes after the first's (same lane): two in all.
            let decisions = try await fixture.decisions(2)
            #expect(decisions.map(\.payload.signalId) == [signal.id, other.id])
        }
        #expect(fixture.analyst.received.count == 2)
    }

    @Test func anImpossibleSignalIsRejectedAndAnUnreadableOneIsReturnedUndecided() async throws {
        let fixture = try DirectorFixture()
        let impossible = Envelope.make(type: EventType.signal, source: "hedgectl", trace: .root(),
                                       payload: JSONValue.object(["symbol": .string("BTC-USD"), "side": .string("sell"), "confidence": .number(7)]))
        let body = try JSONEnvelopeCodec().encode(impossible)
        try await Self.running(fixture) {
            #expect(fixture.director.receive(topic: "signal.BTC-USD", body: Data("{not json".utf8)) != nil)
            #expect(fixture.director.receive(topic: "signal.BTC-USD", body: body) == nil)
            let decision = try #require(try await fixture.decisions(1).first)
            #expect(decision.payload.outcome == .rejected && decision.payload.stage == "validate" && decision.payload.side == .sell)
            #expect(decision.payload.signalId == impossible.id && decision.payload.reason.hasPrefix("invalid signal:"))
        }
        #expect(fixture.bus.events.filter { $0.type == EventType.decision }.count == 1)
        #expect(fixture.analyst.received.isEmpty)
    }
}

/// Counts the requests a test's handler has taken.
private final class SendCount: Sendable {
    private let count = Mutex(0)

    /// The number of this request, from 1.
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
}
