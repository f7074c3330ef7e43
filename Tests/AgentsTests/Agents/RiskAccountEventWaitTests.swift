@testable import Agents
import AgentsTesting
import Configuration
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// An assessment asking for an account version whose event is due (the book holds the account in
/// that epoch at an earlier version) waits for the event rather than asking the venue; the
/// venue is asked once the wait's time is up, or at once when no event is due.
@Suite(.timeLimit(.minutes(1)))
struct RiskAccountEventWaitTests {
    /// Timers the test fires by hand; each scheduling is reported on `scheduled`.
    final class Timers: Sendable {
        private let actions = Mutex<[@Sendable () -> Void]>([])
        private let made = Mutex(0)
        let scheduled: AsyncStream<Duration>
        private let report: AsyncStream<Duration>.Continuation

        init() { (scheduled, report) = AsyncStream.makeStream() }

        var wait: AccountEventWait {
            AccountEventWait(limit: .milliseconds(5)) { [self] delay, action in
                actions.withLock { $0.append(action) }
                made.withLock { $0 += 1 }
                report.yield(delay)
            }
        }

        /// Timers set so far.
        var count: Int { made.withLock { $0 } }

        func fireAll() {
            for action in actions.withLock({ actions in defer { actions.removeAll() }; return actions }) { action() }
        }
    }

    private static func riskManager(_ view: RiskAccountReadTests.Venue, _ timers: Timers) -> (RiskManager, InMemoryPeer) {
        let venue = InMemoryPeer(name: "market-maker")
        venue.on(InventoryQuery.self) { _ in view.withLock { $0.snapshot } }
        let risk = RiskManager(settings: RiskSection(), accounts: [AccountSection()], listed: ["BTC-USD"], quoteAssets: ["BTC-USD": "USD"],
                               venue: venue, publisher: RecordingPublisher(source: "risk-manager"), logger: AgentLogicTests.quiet,
                               eventWait: timers.wait)
        return (risk, venue)
    }

    @Test func aDueEventThatArrivesIsWaitedForAndTheVenueIsNotAsked() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = Timers()
        let (risk, venue) = Self.riskManager(view, timers)
        risk.apply(view.withLock { $0.snapshot })
        let event = view.withLock { state -> InventorySnapshot in
            state.base = Quantity(wire: 1)
            state.version = 4
            return state.snapshot
        }
        // The book holds version 3; the venue is at version 4 (one BTC held), whose event is on
        // its way.
        let assessing = Task { try await risk.assess(RiskAccountReadTests.assess(after: 4)) }
        var scheduled = timers.scheduled.makeAsyncIterator()
        #expect(await scheduled.next() == .milliseconds(5))
        risk.apply(event)
        let verdict = try await assessing.value
        // Judged against version 4 (one BTC held: no pyramiding), taken from the event.
        #expect(!verdict.approved && verdict.limit == "allowPyramiding")
        #expect(venue.receivedTypes.isEmpty)
        // The timer firing after the event changes nothing.
        timers.fireAll()
        #expect(try await risk.assess(RiskAccountReadTests.assess(after: 4)) == verdict)
        #expect(venue.receivedTypes.isEmpty)
    }

    @Test func aWaitWhoseTimeIsUpAsksTheVenue() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = Timers()
        let (risk, venue) = Self.riskManager(view, timers)
        risk.apply(view.withLock { $0.snapshot })
        view.withLock {
            $0.base = Quantity(wire: 1)
            $0.version = 4
        }
        let assessing = Task { try await risk.assess(RiskAccountReadTests.assess(after: 4)) }
        var scheduled = timers.scheduled.makeAsyncIterator()
        _ = await scheduled.next()
        #expect(venue.receivedTypes.isEmpty)
        timers.fireAll()
        let verdict = try await assessing.value
        #expect(!verdict.approved && verdict.limit == "allowPyramiding")
        #expect(venue.receivedTypes == ["inventory.get"])
    }

    @Test func aRestartedVenueEndsTheWait() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = Timers()
        let (risk, venue) = Self.riskManager(view, timers)
        risk.apply(view.withLock { $0.snapshot })
        let assessing = Task { try await risk.assess(RiskAccountReadTests.assess(after: 4)) }
        var scheduled = timers.scheduled.makeAsyncIterator()
        _ = await scheduled.next()
        // An event of another epoch: the version asked for will never come in the old one.
        risk.apply(RiskAccountReadTests.VenueView(version: 9, epoch: "00000000000000e2").snapshot)
        _ = try await assessing.value
        #expect(venue.receivedTypes == ["inventory.get"])
    }

    @Test func noWaitWhenNoEventIsDue() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = Timers()
        let (risk, venue) = Self.riskManager(view, timers)
        // Never seen, then asked in another epoch: the venue is asked at once, no timer is set.
        _ = try await risk.assess(RiskAccountReadTests.assess(after: 3))
        _ = try await risk.assess(RiskAccountReadTests.assess(after: 5, epoch: "00000000000000e2"))
        #expect(venue.receivedTypes == ["inventory.get", "inventory.get"])
        #expect(timers.count == 0)
    }

    /// `view`'s listing as the MarketMaker lists it, each row naming its assets.
    private static func listing(_ view: RiskAccountReadTests.Venue) -> InventorySnapshot {
        var snapshot = view.withLock { $0.snapshot }
        for at in snapshot.positions.indices {
            snapshot.positions[at].baseAsset = "BTC"
            snapshot.positions[at].quoteAsset = "USD"
        }
        return snapshot
    }

    /// The venue at `version` (a different BTC balance at each), and its account event.
    private static func advance(_ view: RiskAccountReadTests.Venue, _ deltas: AccountEventDeltas, to version: UInt64) throws -> InventorySnapshot {
        view.withLock {
            $0.base = Quantity(raw: Int64(version) * 1_000_000)
            $0.version = version
        }
        return try #require(deltas.outgoing(listing(view)))
    }

    @Test func anEventThatFollowsOneNeverReceivedEndsTheWaitAndNoneIsWaitedForUntilAWholeListing() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = Timers()
        let (risk, venue) = Self.riskManager(view, timers)
        let deltas = AccountEventDeltas(time: ManualTime(), wholeEvery: 4)
        risk.apply(try #require(deltas.outgoing(Self.listing(view))))
        _ = try Self.advance(view, deltas, to: 4)  // lost on its way
        let assessing = Task { try await risk.assess(RiskAccountReadTests.assess(after: 4)) }
        var scheduled = timers.scheduled.makeAsyncIterator()
        _ = await scheduled.next()
        let next = try Self.advance(view, deltas, to: 5)
        #expect(next.accounts?.first?.sinceSequence == 2)
        risk.apply(next)
        _ = try await assessing.value
        #expect(venue.receivedTypes == ["inventory.get"], "the wait ended as the event could not be applied")
        // The events that follow cannot be applied either: no assessment waits for them.
        let broken = try Self.advance(view, deltas, to: 6)
        #expect(broken.accounts?.first?.sinceSequence == 3)
        risk.apply(broken)
        _ = try await risk.assess(RiskAccountReadTests.assess(after: 6))
        #expect(venue.receivedTypes == ["inventory.get", "inventory.get"])
        #expect(timers.count == 1, "no wait while no event can be applied")
        // A whole listing mends it: the next events are read again.
        let whole = try Self.advance(view, deltas, to: 7)
        #expect(whole.accounts?.first?.sinceSequence == nil)
        risk.apply(whole)
        risk.apply(try Self.advance(view, deltas, to: 8))
        _ = try await risk.assess(RiskAccountReadTests.assess(after: 8))
        #expect(venue.receivedTypes.count == 2, "version 8 taken from the events")
    }

    @Test func anInventoryGetBetweenEventsLeavesTheEventsReadable() async throws {
        let view = RiskAccountReadTests.Venue(RiskAccountReadTests.VenueView())
        let timers = Timers()
        let (risk, venue) = Self.riskManager(view, timers)
        let deltas = AccountEventDeltas(time: ManualTime())
        risk.apply(try #require(deltas.outgoing(Self.listing(view))))
        let late = try Self.advance(view, deltas, to: 4)
        let assessing = Task { try await risk.assess(RiskAccountReadTests.assess(after: 4)) }
        var scheduled = timers.scheduled.makeAsyncIterator()
        _ = await scheduled.next()
        timers.fireAll()
        _ = try await assessing.value
        #expect(venue.receivedTypes == ["inventory.get"])
        // The venue's answer (version 4) is not an event: the late event, and the one after it,
        // still follow what the events before them left.
        risk.apply(late)
        risk.apply(try Self.advance(view, deltas, to: 5))
        let verdict = try await risk.assess(RiskAccountReadTests.assess(after: 5))
        #expect(venue.receivedTypes == ["inventory.get"], "version 5 taken from the events")
        #expect(!verdict.approved && verdict.limit == "allowPyramiding", "judged with the BTC the venue holds at version 5")
    }
}
