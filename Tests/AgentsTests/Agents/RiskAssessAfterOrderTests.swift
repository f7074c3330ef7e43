@testable import Agents
import AgentsTesting
import Configuration
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// An assessment asked for after an order (`after_order`, the director asking ahead while the
/// order of the signal before is on its way) is judged with the account as the first event that
/// names the order left it, never before; it fails with `timeout` when no event names the order
/// in time, and the venue is not asked for an account that may not hold the order yet.
@Suite(.timeLimit(.minutes(1)))
struct RiskAssessAfterOrderTests {
    private static func riskManager(_ view: RiskAccountReadTests.Venue,
                                    _ timers: RiskAccountEventWaitTests.Timers) -> (RiskManager, InMemoryPeer) {
        let venue = InMemoryPeer(name: "market-maker")
        venue.on(InventoryQuery.self) { _ in view.withLock { $0.snapshot } }
        let risk = RiskManager(settings: RiskSection(), accounts: [AccountSection()], listed: ["BTC-USD"], quoteAssets: ["BTC-USD": "USD"],
                               venue: venue, publisher: RecordingPublisher(source: "risk-manager"), logger: AgentLogicTests.quiet,
                               eventWait: timers.wait, orderWait: timers.wait)
        return (risk, venue)
    }

    /// An assessment after `order`, at account version 3 at least.
    private static func assess(afterOrder order: String) -> Envelope<AssessRequest> {
        var request = RiskAccountReadTests.assess(after: 3)
        request.payload.afterOrder = order
        return request
    }

    /// The venue's account event at `version`, holding `base` BTC, naming `orders`.
    private static func event(_ view: RiskAccountReadTests.Venue, version: UInt64, base: Quantity, naming orders: [String]?) -> InventorySnapshot {
        view.withLock { state in
            state.version = version
            state.base = base
            var snapshot = state.snapshot
            snapshot.accounts?[0].orders = orders
            return snapshot
        }
    }

    @Test func anAssessmentAfterAnOrderWaitsForTheEventThatNamesIt() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = RiskAccountEventWaitTests.Timers()
        let (risk, venue) = Self.riskManager(view, timers)
        risk.apply(view.withLock { $0.snapshot })
        #expect(risk.assessAtOnce(Self.assess(afterOrder: "sig-1")) == nil, "no event has named the order")
        let assessing = Task { try await risk.assess(Self.assess(afterOrder: "sig-1")) }
        var scheduled = timers.scheduled.makeAsyncIterator()
        #expect(await scheduled.next() == .milliseconds(5))
        // Version 4 (another symbol's order, say: still flat in BTC) names other orders: judged
        // on it, the buy would be approved.
        risk.apply(Self.event(view, version: 4, base: .zero, naming: ["sig-0"]))
        // Version 5 names the order: one BTC held, no pyramiding.
        risk.apply(Self.event(view, version: 5, base: Quantity(wire: 1), naming: ["sig-1"]))
        let verdict = try await assessing.value
        #expect(!verdict.approved && verdict.limit == "allowPyramiding", "judged with the order in")
        #expect(verdict.accountVersion == 5)
        #expect(venue.receivedTypes.isEmpty)
        // Asked again, the event has named it: answered at once, at that version or later.
        let again = try #require(risk.assessAtOnce(Self.assess(afterOrder: "sig-1")))
        #expect(again == verdict)
    }

    @Test func anOrderNoEventNamesInTimeFailsTheAssessmentWithoutAskingTheVenue() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = RiskAccountEventWaitTests.Timers()
        let (risk, venue) = Self.riskManager(view, timers)
        risk.apply(view.withLock { $0.snapshot })
        let assessing = Task { try await risk.assess(Self.assess(afterOrder: "sig-9")) }
        var scheduled = timers.scheduled.makeAsyncIterator()
        _ = await scheduled.next()
        timers.fireAll()
        let error = await #expect(throws: ProtocolError.self) { try await assessing.value }
        #expect(error?.code == .timeout)
        #expect(venue.receivedTypes.isEmpty, "the venue may not hold the order yet: its account is not read")
    }

    @Test func anAssessmentWithoutAnOrderCarriesNoVersionAndIsAnsweredAsBefore() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = RiskAccountEventWaitTests.Timers()
        let (risk, _) = Self.riskManager(view, timers)
        risk.apply(Self.event(view, version: 3, base: .zero, naming: ["sig-1"]))
        let plain = try #require(risk.assessAtOnce(RiskAccountReadTests.assess(after: 3)))
        #expect(plain.accountVersion == nil)
        let ahead = try #require(risk.assessAtOnce(Self.assess(afterOrder: "sig-1")))
        #expect(ahead.accountVersion == 3 && ahead.approved == plain.approved)
    }

    @Test func aRestartedVenueEndsTheWaitForAnOrder() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = RiskAccountEventWaitTests.Timers()
        let (risk, venue) = Self.riskManager(view, timers)
        risk.apply(view.withLock { $0.snapshot })
        let assessing = Task { try await risk.assess(Self.assess(afterOrder: "sig-1")) }
        var scheduled = timers.scheduled.makeAsyncIterator()
        _ = await scheduled.next()
        // A new epoch names the same client order id: not the order asked about.
        var restarted = RiskAccountReadTests.VenueView(version: 1, epoch: "00000000000000e2").snapshot
        restarted.accounts?[0].orders = ["sig-1"]
        risk.apply(restarted)
        let error = await #expect(throws: ProtocolError.self) { try await assessing.value }
        #expect(error?.code == .timeout)
        #expect(venue.receivedTypes.isEmpty)
    }

    @Test func waitsForOrdersAreBounded() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = RiskAccountEventWaitTests.Timers()
        let (risk, _) = Self.riskManager(view, timers)
        risk.apply(view.withLock { $0.snapshot })
        var scheduled = timers.scheduled.makeAsyncIterator()
        var waiting: [Task<RiskVerdict, any Error>] = []
        for index in 0 ..< PortfolioBook.orderWaitersLimit {
            waiting.append(Task { try await risk.assess(Self.assess(afterOrder: "sig-\(index)")) })
            _ = await scheduled.next()
        }
        // One more is answered at once, with no timer of its own.
        let error = await #expect(throws: ProtocolError.self) { try await risk.assess(Self.assess(afterOrder: "sig-x")) }
        #expect(error?.code == .timeout)
        #expect(timers.count == PortfolioBook.orderWaitersLimit)
        // The event naming them all lets every one go.
        risk.apply(Self.event(view, version: 4, base: .zero, naming: (0 ..< PortfolioBook.orderWaitersLimit).map { "sig-\($0)" }))
        for task in waiting { #expect(try await task.value.accountVersion == 4) }
        #expect(risk.book.waits.count == 0)
    }
}
