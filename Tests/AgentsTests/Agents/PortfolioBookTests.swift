import Agents
import Testing
import Trading
import WireProtocol

/// The RiskManager's book taking in the venue's rows: every account's rows kept by symbol, and
/// a plan's memo kept until its position has been seen open and then flat or flipped.
@Suite struct PortfolioBookTests {
    static let desk = RiskDesk(planner: TradePlanner(), minConfidence: 0.3, lotSize: 1)

    static func row(_ account: String, _ symbol: String, base: Quantity) -> PositionPayload {
        PositionPayload(Position(account: account, symbol: symbol, base: base, quote: 1_000, averageEntryPrice: 100), mark: 100)
    }

    static func plan(_ symbol: String, _ side: Side) -> TradePlan {
        TradePlan(symbol: symbol, side: side, entryPrice: 100, stopPrice: side == .buy ? 95 : 105, qty: 2, notional: 200,
                  riskAmount: 10, riskPct: 0.01, sizedBy: .riskPerTradePct, leverage: 1, margin: 200, targets: [],
                  exposureAfter: 0, heatAfter: 0, marginUsageAfter: 0, warnings: [], summary: "")
    }

    @Test func rowsOfSeveralAccountsInOneEventLandInEachAccountBySymbol() {
        let book = PortfolioBook(desk: Self.desk)
        // Accounts in runs and interleaved, as events and answers may carry them.
        book.apply(InventorySnapshot(positions: [
            Self.row("a", "SOL-USD", base: 3), Self.row("a", "BTC-USD", base: 1), Self.row("b", "ETH-USD", base: 2),
            Self.row("a", "ETH-USD", base: 4), Self.row("b", "BTC-USD", base: 5),
        ]))
        #expect(book.view(of: "a", with: nil).holdings.map(\.symbol) == ["BTC-USD", "ETH-USD", "SOL-USD"])
        #expect(book.view(of: "a", with: nil).holdings.map(\.base) == [1, 4, 3])
        #expect(book.view(of: "b", with: nil).holdings.map(\.symbol) == ["BTC-USD", "ETH-USD"])
        #expect(book.view(of: "b", with: nil).holdings.map(\.base) == [5, 2])
        // A later row replaces the account's row in that symbol only.
        book.apply(InventorySnapshot(positions: [Self.row("b", "ETH-USD", base: 7)]))
        #expect(book.view(of: "b", with: nil).holdings.map(\.base) == [5, 7])
        #expect(book.view(of: "a", with: nil).holdings.map(\.base) == [1, 4, 3])
        #expect(book.view(of: "c", with: nil).holdings.isEmpty)
    }

    /// The book keeps each account's rows in symbol order as they come, new symbols among the
    /// old: its view must be the last row of every symbol, sorted, after any run of events.
    @Test func rowsStayInSymbolOrderWhateverOrderTheyCome() {
        var random = SystemRandomNumberGenerator()
        let symbols = (0..<12).map { "S\($0 * 7 % 12)-USD" }
        for run in 0..<100 {
            let book = PortfolioBook(desk: Self.desk)
            var expected: [String: [String: Quantity]] = [:]
            for _ in 0..<Int.random(in: 1...10, using: &random) {
                // An event's rows come account by account; in every other run each account's
                // rows come in symbol order too, as the venue lists them (the order the book
                // looks for each row in first).
                let rows = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                    Self.row(["a", "b"].randomElement(using: &random)!, symbols.randomElement(using: &random)!,
                             base: Quantity(raw: Int64.random(in: -1_000...1_000, using: &random) * 1_000_000))
                }.sorted { run.isMultiple(of: 2) ? ($0.account, $0.symbol) < ($1.account, $1.symbol) : $0.account < $1.account }
                book.apply(InventorySnapshot(positions: rows))
                for row in rows { expected[row.account, default: [:]][row.symbol] = Quantity(wire: row.base) }
            }
            for account in ["a", "b"] {
                let view = book.view(of: account, with: nil).holdings
                let want = (expected[account] ?? [:]).sorted { $0.key < $1.key }
                #expect(view.map(\.symbol) == want.map(\.key))
                #expect(view.map(\.base) == want.map(\.value))
            }
        }
    }

    @Test func aMemoLastsUntilItsPositionWasSeenOpenThenFlat() {
        let book = PortfolioBook(desk: Self.desk)
        book.remember(Self.plan("BTC-USD", .buy), account: "a")
        book.remember(Self.plan("ETH-USD", .sell), account: "a")
        book.remember(Self.plan("BTC-USD", .buy), account: "b")
        func memos(_ account: String) -> [String] { book.view(of: account, with: nil).memos.entries.map(\.symbol) }

        // Still flat (the order has not filled): the memos stay.
        book.apply(InventorySnapshot(positions: [Self.row("a", "BTC-USD", base: 0), Self.row("a", "ETH-USD", base: 0)]))
        #expect(memos("a") == ["BTC-USD", "ETH-USD"])
        // Open (a long for the buy, a short for the sell), then flat: each memo goes when its own position is flat.
        book.apply(InventorySnapshot(positions: [Self.row("a", "BTC-USD", base: 2), Self.row("a", "ETH-USD", base: -2),
                                                 Self.row("b", "BTC-USD", base: 2)]))
        #expect(memos("a") == ["BTC-USD", "ETH-USD"])
        book.apply(InventorySnapshot(positions: [Self.row("a", "BTC-USD", base: 0), Self.row("a", "ETH-USD", base: -2)]))
        #expect(memos("a") == ["ETH-USD"])
        #expect(memos("b") == ["BTC-USD"])
        // Flipped: the short's memo goes too; the other account's, seen open, stays until its own row is flat.
        book.apply(InventorySnapshot(positions: [Self.row("a", "ETH-USD", base: 3), Self.row("b", "BTC-USD", base: 1)]))
        #expect(memos("a").isEmpty)
        #expect(memos("b") == ["BTC-USD"])
        book.apply(InventorySnapshot(positions: [Self.row("b", "BTC-USD", base: 0)]))
        #expect(memos("b").isEmpty)
    }

    @Test func aNewPlanStartsItsMemoAfresh() {
        let book = PortfolioBook(desk: Self.desk)
        book.remember(Self.plan("BTC-USD", .buy), account: "a")
        book.apply(InventorySnapshot(positions: [Self.row("a", "BTC-USD", base: 2)]))
        // Approved again while open: seen-open is forgotten, so a flat row before the new fill keeps it.
        book.remember(Self.plan("BTC-USD", .buy), account: "a")
        book.apply(InventorySnapshot(positions: [Self.row("a", "BTC-USD", base: 0)]))
        #expect(book.view(of: "a", with: nil).memos.entries.map(\.symbol) == ["BTC-USD"])
    }

    /// Memos over random runs of plans and events, new symbols arriving among the old ones,
    /// against the rule written out here: a memo is dropped when its row is not open its way
    /// after having been seen open since the memo was made.
    @Test func memosFollowTheRuleOverRandomRuns() {
        // Seeded, so the runs reach the same number of dropped memos every time.
        var random = SeededGenerator(seed: 86)
        let symbols = (0..<8).map { "S\($0 * 5 % 8)-USD" }
        var drops = 0
        for _ in 0..<100 {
            let book = PortfolioBook(desk: Self.desk)
            var memos: [String: [String: Side]] = [:]
            var seenOpen: Set<[String]> = []
            for _ in 0..<Int.random(in: 1...30, using: &random) {
                let account = ["a", "b"].randomElement(using: &random)!
                if Bool.random(using: &random) {
                    let plan = Self.plan(symbols.randomElement(using: &random)!, Bool.random(using: &random) ? .buy : .sell)
                    book.remember(plan, account: account)
                    memos[account, default: [:]][plan.symbol] = plan.side
                    seenOpen.remove([account, plan.symbol])
                    continue
                }
                let rows = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                    Self.row(account, symbols.randomElement(using: &random)!, base: Quantity(raw: Int64.random(in: -2...2, using: &random) * 100_000_000))
                }
                book.apply(InventorySnapshot(positions: rows))
                for row in rows {
                    guard let side = memos[account]?[row.symbol] else { continue }
                    let base = Quantity(wire: row.base)
                    if side == .buy ? base >= 1 : base <= -1 {
                        seenOpen.insert([account, row.symbol])
                    } else if seenOpen.remove([account, row.symbol]) != nil {
                        memos[account]?[row.symbol] = nil
                        drops += 1
                    }
                }
                for name in ["a", "b"] {
                    let view = book.view(of: name, with: nil).memos
                    #expect(Dictionary(uniqueKeysWithValues: view.entries.map { ($0.symbol, $0.memo.side) }) == memos[name] ?? [:], "account \(name)")
                }
            }
        }
        // The runs reach the case they are for.
        #expect(drops >= 30, "\(drops) memos dropped")
    }
}
