import Testing
@testable import Trading

@Suite struct RiskDeskTests {
    let desk = RiskDesk(planner: TradePlanner(), minConfidence: 0.3, lotSize: 0.3)
    /// 10,000 quote in BTC-USD and nothing held; the venue marks it at 100.
    let flat = [Holding(symbol: "BTC-USD", base: 0, quote: 10_000, averageEntryPrice: 0, mark: 100)]

    @Test func thePortfolioIsTheVenuesHoldingsWithTheStopsOfKnownPlans() throws {
        let holdings = [
            Holding(symbol: "BTC-USD", base: 2, quote: 5_000, averageEntryPrice: 90, mark: 100),
            Holding(symbol: "ETH-USD", base: -10, quote: 3_000, averageEntryPrice: 50, mark: 40),
            Holding(symbol: "SOL-USD", base: 0, quote: 1_000, averageEntryPrice: 0, mark: nil),
        ]
        let memos: PlanMemos = ["BTC-USD": PlanMemo(side: .buy, stopPrice: 85, leverage: 3)]
        let (portfolio, assumed) = try desk.portfolio(holdings: holdings, memos: memos, cashSymbol: "ETH-USD")
        // Capital 5,000 + 2 × 100 + 3,000 − 10 × 40 + 1,000 = 8,800; cash is ETH-USD's quote.
        #expect(portfolio.capital == 8_800)
        #expect(portfolio.cash == 3_000)
        #expect(portfolio.positions == [
            OpenTrade(symbol: "BTC-USD", side: .buy, qty: 2, entryPrice: 90, stopPrice: 85, leverage: 3),
            // No plan on record for the short: a stop 2 % above its entry, at 1x.
            OpenTrade(symbol: "ETH-USD", side: .sell, qty: 10, entryPrice: 50, stopPrice: 51, leverage: 1),
        ])
        #expect(assumed == ["ETH-USD"])
    }

    @Test func aMemoForTheOtherSideDoesNotApply() throws {
        let holdings = [Holding(symbol: "BTC-USD", base: -1, quote: 10_000, averageEntryPrice: 100, mark: 100)]
        let memos: PlanMemos = ["BTC-USD": PlanMemo(side: .buy, stopPrice: 90, leverage: 5)]
        let (portfolio, assumed) = try desk.portfolio(holdings: holdings, memos: memos, cashSymbol: "BTC-USD")
        #expect(portfolio.positions.first?.stopPrice == 102)
        #expect(assumed == ["BTC-USD"])
    }

    @Test func approvedSizeIsRoundedDownToWholeLotsWithTargetsScaled() throws {
        // Stop 2 × ATR 1 below 100 = 98. Risk: 2 % × 10,000 / 2 = 100; size cap: 20 % × 10,000 / 100 = 20;
        // cash: 100. So 20, in lots of 0.3: 66 lots = 19.8. Targets 104 / 106 / 108 take 50 % and 30 % of it
        // rounded down to whole lots (9.9 = 33 lots, 5.7 = 19 lots) and the rest (4.2 = 14 lots).
        let decision = desk.assess(symbol: "BTC-USD", side: .buy, confidence: 0.8, entry: 100, atr: 1, allowShort: false,
                                   holdings: flat, memos: [:])
        let plan = try #require(decision.plan)
        #expect(plan.qty == 19.8)
        #expect(plan.sizedBy == .maxPositionSizePct)
        #expect(plan.stopPrice == 98)
        #expect(plan.targets.map(\.price) == [104, 106, 108])
        #expect(plan.targets.map(\.qty) == [9.9, 5.7, 4.2])
        #expect(plan.targets.reduce(0) { $0 + $1.qty } == plan.qty)
        #expect(plan.notional == 1_980 && plan.riskAmount == 39.6)
    }

    @Test func weakSignalsAreRefusedWithTheNumbers() throws {
        let rejection = try #require(desk.assess(symbol: "BTC-USD", side: .buy, confidence: 0.2, entry: 100, atr: 1,
                                                 allowShort: false, holdings: flat, memos: [:]).rejection)
        #expect(rejection.limit == .minConfidence)
        #expect(rejection.observed == 0.2 && rejection.allowed == 0.3)
        #expect(rejection.message.contains("0.20") && rejection.message.contains("0.30"))
    }

    @Test func aSpotAccountMayNotOpenAShort() throws {
        let spot = try #require(desk.assess(symbol: "BTC-USD", side: .sell, confidence: 0.9, entry: 100, atr: 1,
                                            allowShort: false, holdings: flat, memos: [:]).rejection)
        #expect(spot.limit == .allowShort)
        let perp = desk.assess(symbol: "BTC-USD", side: .sell, confidence: 0.9, entry: 100, atr: 1,
                               allowShort: true, holdings: flat, memos: [:])
        #expect(perp.plan?.stopPrice == 102)
    }

    @Test func aSizeBelowOneLotIsRefused() throws {
        let coarse = RiskDesk(planner: TradePlanner(), minConfidence: 0.3, lotSize: 25)
        let rejection = try #require(coarse.assess(symbol: "BTC-USD", side: .buy, confidence: 0.8, entry: 100, atr: 1,
                                                   allowShort: false, holdings: flat, memos: [:]).rejection)
        #expect(rejection.limit == .lotSize && rejection.observed == 20 && rejection.allowed == 25)
    }

    @Test func anAssessmentCarriesTheValuationItWasMadeOn() throws {
        // An ETH short with no plan on record beside a flat BTC book: 10,000 + 3,000 − 10 × 40 = 12,600.
        let holdings = flat + [Holding(symbol: "ETH-USD", base: -10, quote: 3_000, averageEntryPrice: 50, mark: 40)]
        let approved = desk.assessment(symbol: "BTC-USD", side: .buy, confidence: 0.8, entry: 100, atr: 1, allowShort: false,
                                       holdings: holdings, memos: [:])
        #expect(approved.decision.plan != nil)
        #expect(approved.valuation == RiskAssessment.Valuation(capital: 12_600, assumedStops: ["ETH-USD"]))
        let valued = try desk.portfolio(holdings: holdings, memos: [:], cashSymbol: "BTC-USD")
        #expect(approved.valuation?.capital == valued.snapshot.capital)
        // Refused by a portfolio rule: the valuation was made. Refused before it: none.
        let pyramiding = desk.assessment(symbol: "ETH-USD", side: .sell, confidence: 0.8, entry: 40, atr: 1, allowShort: true,
                                         holdings: holdings, memos: [:])
        #expect(pyramiding.decision.rejection?.limit == .allowPyramiding)
        #expect(pyramiding.valuation?.capital == 12_600)
        let weak = desk.assessment(symbol: "BTC-USD", side: .buy, confidence: 0.1, entry: 100, atr: 1, allowShort: false,
                                   holdings: holdings, memos: [:])
        #expect(weak.decision.rejection?.limit == .minConfidence && weak.valuation == nil)
    }

    @Test func portfolioRulesSeeTheHeldPosition() throws {
        let held = [Holding(symbol: "BTC-USD", base: 5, quote: 9_500, averageEntryPrice: 100, mark: 100)]
        let rejection = try #require(desk.assess(symbol: "BTC-USD", side: .buy, confidence: 0.8, entry: 100, atr: 1,
                                                 allowShort: false, holdings: held, memos: [:]).rejection)
        #expect(rejection.limit == .allowPyramiding)
        let noPrice = try #require(desk.assess(symbol: "BTC-USD", side: .buy, confidence: 0.8, entry: nil, atr: 1,
                                               allowShort: false, holdings: flat, memos: [:]).rejection)
        #expect(noPrice.limit == .marketData)
    }

    @Test func theStopAndTargetsAreOnTheSymbolsTickGrid() throws {
        // Stop 100 − 2 × 0.7 = 98.6: a long's stop goes down to the 0.5 grid, 98.5 (never
        // tighter than asked); risk 1.5, so targets 100 + 3 / 4.5 / 6 = 103 / 104.5 / 106.
        let plan = try #require(desk.assess(symbol: "BTC-USD", side: .buy, confidence: 0.8, entry: 100, atr: 0.7,
                                            allowShort: false, holdings: flat, memos: [:], tick: 0.5).plan)
        #expect(plan.stopPrice == 98.5)
        #expect(plan.targets.map(\.price) == [103, 104.5, 106])
        // A short's stop goes up: 101.4 → 101.5.
        let short = try #require(desk.assess(symbol: "BTC-USD", side: .sell, confidence: 0.8, entry: 100, atr: 0.7,
                                             allowShort: true, holdings: flat, memos: [:], tick: 0.5).plan)
        #expect(short.stopPrice == 101.5)
        #expect(short.targets.map(\.price) == [97, 95.5, 94])
    }

    @Test func withoutAnATRTheStopFallsBackToThePercentage() throws {
        let plan = try #require(desk.assess(symbol: "BTC-USD", side: .buy, confidence: 0.8, entry: 100, atr: nil,
                                            allowShort: false, holdings: flat, memos: [:]).plan)
        #expect(plan.stopPrice == 98)
        #expect(plan.summary.contains("no ATR yet"))
    }

    @Test func cashSizingKeepsBackTheFeeAllowance() throws {
        // 1,000 quote at 100 with the default 25 bps allowance: 1,000 / 1.0025 / 100 = 9.975…, 33 lots of 0.3 = 9.9.
        let poor = [Holding(symbol: "BTC-USD", base: 0, quote: 1_000, averageEntryPrice: 0, mark: 100),
                    Holding(symbol: "ETH-USD", base: 0, quote: 99_000, averageEntryPrice: 0, mark: 100)]
        let plan = try #require(desk.assess(symbol: "BTC-USD", side: .buy, confidence: 0.8, entry: 100, atr: 1,
                                            allowShort: false, holdings: poor, memos: [:]).plan)
        #expect(plan.sizedBy == .cash)
        #expect(plan.qty == 9.9)
        #expect(try Price(100.1).notional(plan.qty) <= 1_000)
        // The cash the planner may spend is 1,000 × 10,000 / 10,025 rounded down: 997.50623441.
        let fine = RiskDesk(planner: TradePlanner(), minConfidence: 0.3, lotSize: Quantity(raw: 1))
        let exact = try #require(fine.assess(symbol: "BTC-USD", side: .buy, confidence: 0.8, entry: 100, atr: 1,
                                             allowShort: false, holdings: poor, memos: [:]).plan)
        #expect(exact.qty == 9.97506234 && exact.notional == 997.506234)
    }

    /// Capital counts each asset's balance once however the holdings that share it are
    /// ordered, interleaved or repeated: random accounts against the rule written out (a
    /// set of the assets seen so far, every holding's quote and base looked up in it; a
    /// holding without named assets counted in full).
    @Test func eachAssetIsCountedOnceInAnyOrderOfHoldings() throws {
        var random = SeededGenerator(seed: 20_261_204)
        let bases = ["BTC", "ETH", "SOL", "ADA"], quotes = ["USD", "EUR", "USDC"]
        for _ in 0..<300 {
            let holdings = (0..<Int.random(in: 1...10, using: &random)).map { _ -> Holding in
                let base = bases.randomElement(using: &random)!, quote = quotes.randomElement(using: &random)!
                let mark: Price? = Bool.random(using: &random) ? Price(raw: Int64.random(in: 1...50_000_000_000, using: &random)) : nil
                return Holding(symbol: "\(base)-\(quote)", base: Quantity(raw: Int64.random(in: -500_000_000...500_000_000, using: &random)),
                               quote: Money(raw: Int64.random(in: 0...1_000_000_000_000, using: &random)),
                               averageEntryPrice: Price(raw: Int64.random(in: 0...50_000_000_000, using: &random)), mark: mark,
                               assets: Int.random(in: 0..<8, using: &random) == 0 ? nil : AssetPair(base: base, quote: quote))
            }
            var counted = Set<String>()
            var expected = Money.zero
            for holding in holdings {
                let mark = holding.mark.flatMap { $0.isPositive ? $0 : nil }
                let entry = holding.averageEntryPrice.isPositive ? holding.averageEntryPrice : mark
                // A holding whose assets the venue did not name counts in full.
                if holding.assets.map({ counted.insert($0.quote).inserted }) ?? true { expected = try expected.adding(holding.quote) }
                if holding.assets.map({ counted.insert($0.base).inserted }) ?? true, let price = mark ?? entry {
                    expected = try expected.adding(try price.notional(holding.base, .down))
                }
            }
            #expect(try desk.portfolio(holdings: holdings, memos: [:], cashSymbol: holdings[0].symbol).snapshot.capital == expected)
        }
    }
}
