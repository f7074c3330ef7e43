@testable import Agents
import AgentsTesting
import Testing
import Trading
import WireFormat
import WireProtocol

/// The RiskManager's book taking in `account.<name>` events that list only what changed: where
/// nothing but events set an account's rows, only the listed rows are made anew and the others
/// get their quote. Whatever the order of events and venue answers, the book must end as a book
/// that was given each event's whole listing.
@Suite struct PortfolioBookEventTests {
    static let epoch = "00000000000000d4"
    static let symbols = ["BTC-USD", "ETH-USD", "SOL-USD"]

    /// `desk` at `version`: one row per symbol with `bases`, `marks` and the USD balance `usd`.
    static func listing(version: UInt64, bases: [Int64], marks: [Int64], usd: Int64) -> InventorySnapshot {
        let rows = symbols.indices.map { at in
            var row = AccountEventDeltaTests.row(symbols[at], base: WireDecimal(integerLiteral: bases[at]), quote: WireDecimal(integerLiteral: usd),
                                                 mark: WireDecimal(integerLiteral: marks[at]))
            row.avgEntryPrice = WireDecimal(integerLiteral: marks[at])
            return row
        }
        var balances = symbols.indices.map { at in
            let base = WireDecimal(integerLiteral: bases[at])
            return AssetBalancePayload(asset: String(symbols[at].prefix { $0 != "-" }), amount: base, reserved: 0, available: base)
        }
        balances.append(AssetBalancePayload(asset: "USD", amount: WireDecimal(integerLiteral: usd), reserved: 0, available: WireDecimal(integerLiteral: usd)))
        return InventorySnapshot(positions: rows, accounts: [AccountPayload(account: "desk", balances: balances, version: version)],
                                 venueEpoch: epoch)
    }

    static func expectSame(_ book: PortfolioBook, _ reference: PortfolioBook, _ note: String) {
        let (view, expected) = (book.view(of: "desk", with: nil), reference.view(of: "desk", with: nil))
        #expect(view.holdings == expected.holdings, "\(note)")
        #expect(view.memos == expected.memos, "\(note)")
        #expect(view.account?.balances == expected.account?.balances && view.account?.version == expected.account?.version, "\(note)")
    }

    @Test func aRowAnAnswerChangedIsTakenFromTheNextEventEvenWhenTheEventDoesNotListIt() throws {
        let deltas = AccountEventDeltas(time: ManualTime())
        let book = PortfolioBook(desk: PortfolioBookTests.desk)
        book.applyEvent(try #require(deltas.outgoing(Self.listing(version: 1, bases: [1, 2, 3], marks: [100, 100, 100], usd: 1_000))))
        // The venue answers at version 2, where BTC was 5; by version 3, BTC is back at 1 and
        // ETH moved: the event of version 3 lists ETH alone, since it counts from version 1.
        book.apply(Self.listing(version: 2, bases: [5, 2, 3], marks: [100, 100, 100], usd: 600))
        let third = Self.listing(version: 3, bases: [1, 4, 3], marks: [100, 100, 100], usd: 800)
        let event = try #require(deltas.outgoing(third))
        #expect(event.positions.map(\.symbol) == ["ETH-USD"])
        book.applyEvent(event)
        let reference = PortfolioBook(desk: PortfolioBookTests.desk)
        reference.apply(third)
        Self.expectSame(book, reference, "after the event of version 3")
        #expect(book.view(of: "desk", with: nil).holdings.map(\.base) == [1, 4, 3])
    }

    /// A row of an account the event does not list is left out: it would otherwise take the
    /// place of the account's own row of that symbol in its chain.
    @Test func rowsOfAnotherAccountInAnAccountsEventAreLeftOut() throws {
        let book = PortfolioBook(desk: PortfolioBookTests.desk)
        var whole = Self.listing(version: 1, bases: [1, 2, 3], marks: [100, 100, 100], usd: 1_000)
        whole.accounts?[0].sequence = 1
        book.applyEvent(whole)
        // The next event lists ETH for desk, and a row of another account rides along with it.
        var next = Self.listing(version: 2, bases: [1, 4, 3], marks: [100, 100, 100], usd: 800)
        next.positions = [next.positions[1], PositionPayload(account: "hedge", symbol: "BTC-USD", base: 7, quote: 0, avgEntryPrice: 100,
                                                             realizedPnl: 0, unrealizedPnl: 0, fees: 0, mark: 100)]
        var entry = try #require(next.accounts?.first)
        entry.balances = entry.balances.filter { $0.asset == "ETH" || $0.asset == "USD" }
        entry.sequence = 2
        entry.sinceSequence = 1
        next.accounts = [entry]
        next.positions[1].quoteAsset = "USD"
        book.applyEvent(next)
        #expect(book.view(of: "desk", with: nil).holdings.map(\.base) == [1, 4, 3])
        #expect(book.view(of: "desk", with: nil).holdings.map(\.quote) == [800, 800, 800])
        #expect(book.view(of: "hedge", with: nil).holdings.isEmpty)
    }

    /// Seeded runs of venue states, each published as an event, given as an answer, or both,
    /// with plans remembered among them; after each step the book is compared with one that
    /// was given every event as its whole listing.
    @Test func eventsListingChangesLeaveTheBookAsWholeListingsWouldOverRandomRuns() throws {
        var random = SeededGenerator(seed: 137)
        var partialEvents = 0
        for run in 0..<60 {
            let deltas = AccountEventDeltas(time: ManualTime(), wholeEvery: 1_000, wholeIntervalMicros: .max)
            let (book, reference) = (PortfolioBook(desk: PortfolioBookTests.desk), PortfolioBook(desk: PortfolioBookTests.desk))
            var bases: [Int64] = [0, 0, 0], marks: [Int64] = [100, 100, 100], usd: Int64 = 1_000
            var version: UInt64 = 0
            for step in 0..<40 {
                if Int.random(in: 0..<5, using: &random) == 0 {
                    let plan = PortfolioBookTests.plan(Self.symbols.randomElement(using: &random)!, Bool.random(using: &random) ? .buy : .sell)
                    book.remember(plan, account: "desk")
                    reference.remember(plan, account: "desk")
                    continue
                }
                // One or two rows change, or only marks (a tick round at the same version).
                if Bool.random(using: &random) || version == 0 {
                    version += 1
                    for _ in 0..<Int.random(in: 1...2, using: &random) {
                        bases[Int.random(in: 0..<3, using: &random)] = Int64.random(in: -2...2, using: &random)
                    }
                    usd = Int64.random(in: 500...1_500, using: &random)
                } else {
                    marks[Int.random(in: 0..<3, using: &random)] = Int64.random(in: 90...110, using: &random)
                }
                let state = Self.listing(version: version, bases: bases, marks: marks, usd: usd)
                switch Int.random(in: 0..<4, using: &random) {
                case 0:
                    book.apply(state)
                    reference.apply(state)
                case 1:
                    book.apply(state)
                    reference.apply(state)
                    fallthrough
                default:
                    guard let event = deltas.outgoing(state) else { continue }
                    if event.accounts?.first?.sinceSequence != nil { partialEvents += 1 }
                    book.applyEvent(event)
                    reference.apply(state)
                }
                Self.expectSame(book, reference, "run \(run) step \(step)")
            }
        }
        #expect(partialEvents > 500, "the runs applied events that list changes")
    }
}
