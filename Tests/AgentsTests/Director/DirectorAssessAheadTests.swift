@testable import Agents
import AgentsTesting
import Configuration
import Foundation
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// A symbol's next signal is assessed ahead: once the order of the signal before it has left,
/// its `assess` names that order (`after_order`), so the RiskManager judges the account with it
/// in while the order's reply is on its way; its cycle uses that verdict when it stands, and
/// asks again when it does not (the earlier order did not fill, or the verdict does not say the
/// account version it was judged at).
@Suite(.timeLimit(.minutes(1)))
struct DirectorAssessAheadTests {
    static let epoch = "00000000000000e1"

    /// A fixture whose executions report an account version each (from 11) in `epoch`, the
    /// director having seen version 10; the first BTC signal's execution waits for `gate`.
    private static func fixture(holding first: String, gate: AsyncStream<Void>, fill: Bool = true,
                                executed: AsyncStream<String>.Continuation? = nil) throws -> DirectorFixture {
        let fixture = try DirectorFixture()
        var seen = OrderReport(orderId: "O-0", clientOrderId: "c-0", account: "desk", symbol: "ETH-USD", side: .buy, type: .market,
                               status: .filled, qty: 1, filledQty: 1, avgPrice: 100, fills: [], reason: nil, reasonCode: nil)
        seen.venueEpoch = epoch
        seen.accountVersion = 10
        fixture.director.cycle.versions.saw(seen)
        let versions = Mutex<UInt64>(10)
        fixture.execution.on(ExecuteRequest.self) { request in
            let order = request.payload.order
            executed?.yield(order.clientOrderId)
            if order.clientOrderId == "sig-\(first)" { for await _ in gate { break } }
            let filled = fill || order.clientOrderId != "sig-\(first)"
            var report = OrderReport(orderId: "O-\(order.clientOrderId)", clientOrderId: order.clientOrderId, account: order.account,
                                     symbol: order.symbol, side: order.side, type: order.type, status: filled ? .filled : .rejected,
                                     qty: order.qty, filledQty: filled ? order.qty : 0, avgPrice: filled ? 100 : nil, fills: [],
                                     reason: filled ? nil : "no liquidity", reasonCode: nil)
            report.venueEpoch = epoch
            report.accountVersion = versions.withLock { version in
                if filled { version += 1 }
                return version
            }
            return report
        }
        return fixture
    }

    /// Approves every request; one asked after an order is answered once `release` yields (or
    /// its wait is cancelled), saying it was judged at `judgedAt` (nil: as a RiskManager that
    /// knows no `after_order`).
    private static func approve(_ fixture: DirectorFixture, aheadAsked: AsyncStream<Void>.Continuation,
                                release: AsyncStream<Void>? = nil, judgedAt: UInt64?) {
        fixture.risk.on(AssessRequest.self) { request in
            var verdict = RiskVerdict(symbol: request.payload.symbol, side: request.payload.side, approved: true, qty: 2, price: 100,
                                      notional: 200, reason: "approves", limit: nil, plan: nil)
            if request.payload.afterOrder != nil {
                aheadAsked.yield()
                if let release { for await _ in release { break } }
                verdict.accountVersion = judgedAt
            }
            return verdict
        }
    }

    /// Two BTC signals, the first one's order held at the venue until `open` yields (`fixture`),
    /// and a RiskManager approving as `approve` does: `aheadAsked` yields as each request naming
    /// an order comes, `executed` the client order id of each order sent.
    private struct HeldOrder {
        let first: (topic: String, body: Data, id: String)
        let second: (topic: String, body: Data, id: String)
        let fixture: DirectorFixture
        let open: AsyncStream<Void>.Continuation
        let aheadAsked: AsyncStream<Void>
        let executed: AsyncStream<String>
    }

    private static func holdingFirstOrder(fill: Bool = true, release: AsyncStream<Void>? = nil, judgedAt: UInt64?) throws -> HeldOrder {
        let first = try DirectorFixture.signal("BTC-USD", .buy)
        let second = try DirectorFixture.signal("BTC-USD", .buy)
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let (executed, executing) = AsyncStream.makeStream(of: String.self)
        let fixture = try Self.fixture(holding: first.id, gate: gate, fill: fill, executed: executing)
        let (aheadAsked, asking) = AsyncStream.makeStream(of: Void.self)
        Self.approve(fixture, aheadAsked: asking, release: release, judgedAt: judgedAt)
        return HeldOrder(first: first, second: second, fixture: fixture, open: open, aheadAsked: aheadAsked, executed: executed)
    }

    private static func assessments(_ fixture: DirectorFixture, of id: String) throws -> [AssessRequest] {
        try fixture.risk.received.filter { $0.trace.parentId == id }.map { try $0.decoded(as: AssessRequest.self) }
    }

    @Test func theNextSignalIsAssessedAfterTheOrderBeforeItWhileThatOrderIsOnItsWay() async throws {
        let held = try Self.holdingFirstOrder(judgedAt: 11)
        let (first, second, fixture) = (held.first, held.second, held.fixture)
        // Queued before the lanes run: BTC's lane finds the second waiting as it starts the first.
        for signal in [first, second] { fixture.director.receive(topic: signal.topic, body: signal.body) }
        try await SignalCycleTests.running(fixture) {
            var asked = held.aheadAsked.makeAsyncIterator()
            await asked.next()
            // Asked while the first order is held at the venue: it names that order and the
            // version the director had seen.
            #expect(fixture.bus.events.filter { $0.type == EventType.decision }.isEmpty)
            let ahead = try #require(try Self.assessments(fixture, of: second.id).first)
            #expect(ahead.afterOrder == "sig-\(first.id)" && ahead.afterVersion == 10 && ahead.venueEpoch == Self.epoch)
            held.open.yield()
            let decided = try await fixture.decisions(2).map(\.payload)
            #expect(decided.map(\.signalId) == [first.id, second.id])
            #expect(decided.allSatisfy { $0.outcome == .filled })
            #expect(decided.last?.risk?.accountVersion == 11, "the second decided with the verdict given ahead")
        }
        #expect(try Self.assessments(fixture, of: second.id).count == 1, "the verdict given ahead was used: no second assess")
        #expect(try Self.assessments(fixture, of: first.id).map(\.afterOrder) == [nil])
    }

    @Test func aSignalThatComesWhileTheOneBeforeItRunsIsPreparedAsItComes() async throws {
        let held = try Self.holdingFirstOrder(judgedAt: 11)
        let (first, second, fixture) = (held.first, held.second, held.fixture)
        fixture.director.receive(topic: first.topic, body: first.body)
        try await SignalCycleTests.running(fixture) {
            // The first runs with nothing behind it; the second comes while its order is held.
            var orders = held.executed.makeAsyncIterator()
            #expect(await orders.next() == "sig-\(first.id)")
            fixture.director.receive(topic: second.topic, body: second.body)
            var asked = held.aheadAsked.makeAsyncIterator()
            await asked.next()
            #expect(fixture.bus.events.filter { $0.type == EventType.decision }.isEmpty)
            #expect(fixture.analyst.received.contains { $0.trace.parentId == second.id }, "analyzed as it came")
            held.open.yield()
            let decided = try await fixture.decisions(2).map(\.payload)
            #expect(decided.map(\.signalId) == [first.id, second.id])
            #expect(decided.last?.risk?.accountVersion == 11, "the second decided with the verdict given ahead")
        }
        #expect(try Self.assessments(fixture, of: second.id).map(\.afterOrder) == ["sig-\(first.id)"])
        #expect(fixture.analyst.received.filter { $0.trace.parentId == second.id }.count == 1, "analyzed once")
    }

    @Test func aVerdictGivenAheadIsDroppedWhenTheOrderBeforeItDidNotFill() async throws {
        // Never yielded: kept (and finished at the end) so the stream stays open meanwhile.
        let (release, holding) = AsyncStream.makeStream(of: Void.self)
        defer { holding.finish() }
        let held = try Self.holdingFirstOrder(fill: false, release: release, judgedAt: 11)
        let (first, second, fixture) = (held.first, held.second, held.fixture)
        for signal in [first, second] { fixture.director.receive(topic: signal.topic, body: signal.body) }
        try await SignalCycleTests.running(fixture) {
            var asked = held.aheadAsked.makeAsyncIterator()
            await asked.next()
            // The first order is rejected by the venue: no account event will name it, and the
            // request held for one is given up (its wait is cancelled, never answered here).
            held.open.yield()
            let decided = try await fixture.decisions(2).map(\.payload)
            #expect(decided.map(\.outcome) == [.rejected, .filled])
            #expect(decided.last?.risk?.accountVersion == nil, "the second decided with a verdict asked after the rejection")
        }
        #expect(try Self.assessments(fixture, of: second.id).map(\.afterOrder) == ["sig-\(first.id)", nil])
    }

    @Test func aVerdictStillAwaitedAfterTheReportIsGivenUpAndAskedForAgain() async throws {
        // As against a venue whose events name no orders: the request asked ahead is never
        // answered (until its wait is cancelled).
        let (never, holding) = AsyncStream.makeStream(of: Void.self)
        defer { holding.finish() }
        let held = try Self.holdingFirstOrder(release: never, judgedAt: 11)
        let (first, second, fixture) = (held.first, held.second, held.fixture)
        for signal in [first, second] { fixture.director.receive(topic: signal.topic, body: signal.body) }
        try await SignalCycleTests.running(fixture) {
            var asked = held.aheadAsked.makeAsyncIterator()
            await asked.next()
            held.open.yield()
            let decided = try await fixture.decisions(2).map(\.payload)
            #expect(decided.allSatisfy { $0.outcome == .filled })
            #expect(decided.last?.risk?.accountVersion == nil, "decided with the verdict asked after the report")
        }
        #expect(try Self.assessments(fixture, of: second.id).map(\.afterOrder) == ["sig-\(first.id)", nil])
    }

    @Test func onceAVerdictAskedAheadHasComeALaterOneIsWaitedForPastTheGrace() async throws {
        let first = try DirectorFixture.signal("BTC-USD", .buy)
        let second = try DirectorFixture.signal("BTC-USD", .buy)
        let third = try DirectorFixture.signal("BTC-USD", .buy)
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let (executed, executing) = AsyncStream.makeStream(of: String.self)
        let fixture = try Self.fixture(holding: first.id, gate: gate, executed: executing)
        let (thirdAsked, asking) = AsyncStream.makeStream(of: Void.self)
        let (release, answer) = AsyncStream.makeStream(of: Void.self)
        fixture.risk.on(AssessRequest.self) { request in
            var verdict = RiskVerdict(symbol: request.payload.symbol, side: request.payload.side, approved: true, qty: 2, price: 100,
                                      notional: 200, reason: "approves", limit: nil, plan: nil)
            switch request.payload.afterOrder {
            case "sig-\(first.id)": verdict.accountVersion = 11
            case "sig-\(second.id)":
                asking.yield()
                for await _ in release { break }
                verdict.accountVersion = 12
            default: break
            }
            return verdict
        }
        for signal in [first, second] { fixture.director.receive(topic: signal.topic, body: signal.body) }
        try await SignalCycleTests.running(fixture) {
            // The second signal is decided with the verdict asked ahead of it: verdicts come in
            // this venue epoch. The third arrives while the first order is held, so it waits as
            // the second starts.
            var orders = executed.makeAsyncIterator()
            #expect(await orders.next() == "sig-\(first.id)")
            fixture.director.receive(topic: third.topic, body: third.body)
            open.yield()
            #expect(await orders.next() == "sig-\(second.id)")
            var asked = thirdAsked.makeAsyncIterator()
            await asked.next()
            // The second order's report is in; the verdict asked ahead of the third comes well
            // past the grace, and is still waited for.
            try await Task.sleep(for: SignalCycle.aheadGrace * 6)
            answer.yield()
            let decided = try await fixture.decisions(3).map(\.payload)
            #expect(decided.map(\.signalId) == [first.id, second.id, third.id])
            #expect(decided.map { $0.risk?.accountVersion } == [nil, 11, 12])
        }
        #expect(try Self.assessments(fixture, of: third.id).count == 1, "the third was not asked again")
    }

    @Test func aVerdictThatDoesNotSayItsAccountVersionIsAskedForAgain() async throws {
        // A RiskManager that does not know `after_order` answers at once, saying no version.
        let held = try Self.holdingFirstOrder(judgedAt: nil)
        let (first, second, fixture) = (held.first, held.second, held.fixture)
        for signal in [first, second] { fixture.director.receive(topic: signal.topic, body: signal.body) }
        try await SignalCycleTests.running(fixture) {
            var asked = held.aheadAsked.makeAsyncIterator()
            await asked.next()
            held.open.yield()
            let decided = try await fixture.decisions(2).map(\.payload)
            #expect(decided.allSatisfy { $0.outcome == .filled })
        }
        let asks = try Self.assessments(fixture, of: second.id)
        #expect(asks.map(\.afterOrder) == ["sig-\(first.id)", nil])
        #expect(asks.last?.afterVersion == 11, "asked again after the first order's report")
    }
}
