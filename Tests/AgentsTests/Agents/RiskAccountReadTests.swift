import Agents
import AgentsTesting
import Configuration
import Foundation
import Logging
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// Where the RiskManager takes an account from: its `account.<name>` events when it holds the
/// account at the version (and epoch) the director asks for, `inventory.get` otherwise, and the
/// same verdict either way.
@Suite(.timeLimit(.minutes(1)))
struct RiskAccountReadTests {
    static let epoch = "00000000000000e1"

    /// The venue's state of account `desk` in BTC-USD: base held, quote, version, epoch, and a
    /// margin book when `equity` is given.
    struct VenueView: Sendable {
        var base: Quantity = .zero
        var quote: Money = 100_000
        var version: UInt64 = 3
        var epoch: String = RiskAccountReadTests.epoch
        var equity: WireDecimal?
        var mark: Price = 100

        var snapshot: InventorySnapshot {
            let row = PositionPayload(Position(account: "desk", symbol: "BTC-USD", base: base, quote: quote, averageEntryPrice: 100), mark: mark)
            let margin = equity.map { equity in
                MarginPayload(collateralAsset: "USD", maxLeverage: 2, equity: equity, marginUsed: 0, availableMargin: equity,
                              maintenanceMargin: 0, liquidationPrices: [:])
            }
            let account = AccountPayload(account: "desk", balances: [AssetBalancePayload(asset: "USD", amount: quote.wire, reserved: 0, available: quote.wire)],
                                         margin: margin, version: version)
            return InventorySnapshot(positions: [row], accounts: [account], venueEpoch: epoch)
        }
    }

    /// The venue's state, changed by the test while the venue answers from it.
    final class Venue: Sendable {
        private let view: Mutex<VenueView>
        init(_ view: VenueView) { self.view = Mutex(view) }
        func withLock<T: Sendable>(_ body: (inout VenueView) -> T) -> T { view.withLock { body(&$0) } }
    }

    /// A RiskManager whose venue answers `inventory.get` with `view`.
    static func riskManager(_ view: Venue, margin: Bool = false) -> (RiskManager, InMemoryPeer) {
        let venue = InMemoryPeer(name: "market-maker")
        venue.on(InventoryQuery.self) { _ in view.withLock { $0.snapshot } }
        var account = AccountSection()
        if margin {
            account.allowShort = true
            account.maxLeverage = 2
        }
        let risk = RiskManager(settings: RiskSection(), accounts: [account], listed: ["BTC-USD"], quoteAssets: ["BTC-USD": "USD"],
                               venue: venue, publisher: RecordingPublisher(source: "risk-manager"), logger: AgentLogicTests.quiet)
        return (risk, venue)
    }

    static func assess(after version: UInt64?, epoch: String? = RiskAccountReadTests.epoch, side: Side = .buy) -> Envelope<AssessRequest> {
        var request = AgentLogicTests.assess("BTC-USD", side)
        request.payload.afterVersion = version
        request.payload.venueEpoch = version == nil ? nil : epoch
        return request
    }

    @Test func anAccountHeldAtTheAskedVersionIsNotReadFromTheVenue() async throws {
        let view = Venue(VenueView())
        let (risk, venue) = Self.riskManager(view)
        risk.apply(view.withLock { $0.snapshot })
        let atVersion = try await risk.assess(Self.assess(after: 3))
        let older = try await risk.assess(Self.assess(after: 2))
        let unversioned = try await risk.assess(Self.assess(after: nil))
        #expect(atVersion.approved && older.approved && unversioned.approved)
        #expect(venue.receivedTypes.isEmpty)
    }

    @Test func anAccountHeldAtTheAskedVersionIsAssessedAtOnceAndOneBehindIsLeftForTheAwaitingPath() async throws {
        let view = Venue(VenueView())
        let (risk, venue) = Self.riskManager(view)
        risk.apply(view.withLock { $0.snapshot })
        let atOnce = try #require(risk.assessAtOnce(Self.assess(after: 3)))
        #expect(atOnce.approved)
        #expect(atOnce == (try await risk.assess(Self.assess(after: 3))), "the same verdict as the awaiting path")
        // Version 4 not yet seen, another epoch, or a price only the venue can give: nothing at once.
        #expect(risk.assessAtOnce(Self.assess(after: 4)) == nil)
        #expect(risk.assessAtOnce(Self.assess(after: 3, epoch: "00000000000000e2")) == nil)
        var unpriced = Self.assess(after: 3)
        unpriced.payload.analysis.lastPrice = nil
        #expect(risk.assessAtOnce(unpriced) == nil)
        #expect(venue.receivedTypes.isEmpty)
    }

    @Test func anAnalysisWithoutALastPriceIsPricedAtTheVenuesMidNowNotAtTheEventsMark() async throws {
        let view = Venue(VenueView())
        let (risk, venue) = Self.riskManager(view)
        risk.apply(view.withLock { $0.snapshot })
        // The mark moved; a flat account's event does not follow it.
        view.withLock { $0.mark = 120 }
        var request = Self.assess(after: 3)
        request.payload.analysis.lastPrice = nil
        let verdict = try await risk.assess(request)
        #expect(verdict.approved && verdict.price == 120)
        #expect(venue.receivedTypes == ["inventory.get"])
        let priced = try await risk.assess(Self.assess(after: 3))
        #expect(priced.approved && priced.price == 100, "the analysis's last price, with the account from the book")
        #expect(venue.receivedTypes == ["inventory.get"])
    }

    @Test func anAccountBehindTheAskedVersionIsReadOnceAndTheAnswerKept() async throws {
        let view = Venue(VenueView())
        let (risk, venue) = Self.riskManager(view)
        risk.apply(view.withLock { $0.snapshot })
        // The order the director was told of (version 4) filled; its event has not arrived.
        view.withLock {
            $0.base = Quantity(wire: 1)
            $0.version = 4
        }
        let behind = try await risk.assess(Self.assess(after: 4))
        #expect(!behind.approved && behind.limit == "allowPyramiding")
        #expect(venue.receivedTypes == ["inventory.get"])
        #expect(try venue.received.first?.decoded(as: InventoryQuery.self) == InventoryQuery(account: "desk"))
        // The answer is kept: the next assessment at version 4 asks nothing.
        let again = try await risk.assess(Self.assess(after: 4))
        #expect(again == behind && venue.receivedTypes.count == 1)
        // A late event of version 3 does not take the account back.
        risk.apply(VenueView(version: 3).snapshot)
        #expect(try await risk.assess(Self.assess(after: 4)) == behind)
        #expect(venue.receivedTypes.count == 1)
    }

    @Test func anotherEpochOrAnAccountNeverSeenIsReadFromTheVenue() async throws {
        let view = Venue(VenueView())
        let (risk, venue) = Self.riskManager(view)
        _ = try await risk.assess(Self.assess(after: nil))
        #expect(venue.receivedTypes == ["inventory.get"])
        // The venue restarted: the director's version counts in the new epoch.
        _ = try await risk.assess(Self.assess(after: 1, epoch: "00000000000000e2"))
        #expect(venue.receivedTypes == ["inventory.get", "inventory.get"])
        // A venue that does not version its accounts is read every time.
        view.withLock { $0.epoch = "" }
        let unversioned = InMemoryPeer(name: "market-maker")
        unversioned.on(InventoryQuery.self) { _ in
            var snapshot = view.withLock { $0.snapshot }
            snapshot.venueEpoch = nil
            return snapshot
        }
        let plain = RiskManager(settings: RiskSection(), accounts: [AccountSection()], listed: ["BTC-USD"], venue: unversioned,
                                publisher: RecordingPublisher(source: "risk-manager"), logger: AgentLogicTests.quiet)
        _ = try await plain.assess(Self.assess(after: nil))
        _ = try await plain.assess(Self.assess(after: nil))
        #expect(unversioned.receivedTypes == ["inventory.get", "inventory.get"])
    }

    /// For each venue state, one RiskManager reads the account from the venue and another from
    /// an event of the same state: the verdicts are the same, and the states give different ones.
    @Test func theVerdictIsTheSameFromAnEventAsFromTheVenue() async throws {
        let states: [(VenueView, Bool, Side)] = [
            (VenueView(), false, .buy),
            (VenueView(base: Quantity(wire: 1)), false, .buy),
            (VenueView(quote: 50), false, .buy),
            (VenueView(equity: 100_000), true, .sell),
            (VenueView(equity: 1), true, .sell),
        ]
        var verdicts: [RiskVerdict] = []
        for (state, margin, side) in states {
            let (asking, askingVenue) = Self.riskManager(Venue(state), margin: margin)
            let fromVenue = try await asking.assess(Self.assess(after: state.version, side: side))
            let (listening, listeningVenue) = Self.riskManager(Venue(state), margin: margin)
            listening.apply(state.snapshot)
            let fromEvent = try await listening.assess(Self.assess(after: state.version, side: side))
            #expect(fromEvent == fromVenue)
            #expect(askingVenue.receivedTypes == ["inventory.get"] && listeningVenue.receivedTypes.isEmpty)
            verdicts.append(fromEvent)
        }
        #expect(verdicts.map(\.approved) == [true, false, true, true, false])
        #expect(Set(verdicts).count == states.count, "each state gives its own verdict")
    }
}
