import Testing
@testable import Trading

@Suite struct RiskAssessorTests {
    let bullish = MarketAnalysis(direction: .long, confidence: 0.8, sampleCount: 30, reason: "test")
    let price = 50_000.0

    private func holding(base: Double = 0, quote: Double) -> Position {
        Position(account: "desk", symbol: "BTC-USD", base: base, quote: quote, averageEntryPrice: base == 0 ? 0 : 50_000)
    }

    private func assess(
        _ side: Side, confidence: Double = 0.7, analysis: MarketAnalysis? = nil, base: Double = 0, quote: Double,
        allowShort: Bool = false, limits: RiskLimits = RiskLimits()
    ) -> RiskDecision {
        RiskAssessor(limits: limits).assess(
            side: side, signalConfidence: confidence, analysis: analysis ?? bullish, price: price,
            position: holding(base: base, quote: quote), allowShort: allowShort)
    }

    @Test func buySizedFromAccountValue() {
        // capital 100000; min(100000 · 5 %, 100000 · 50 %) / 50000 = 0.1
        let decision = assess(.buy, quote: 100_000)
        #expect(decision.approved && close(decision.qty, 0.1) && close(decision.notionalQuote, 5_000))
        #expect(decision.limit == nil && decision.price == price)
        #expect(decision.reason == "buy 0.1 at 50000.00 for 5000.00 quote: 5.00% of capital 100000.00")
    }

    @Test func weakSignalIsRefused() {
        let decision = assess(.buy, confidence: 0.2, quote: 100_000)
        #expect(!decision.approved && decision.qty == 0 && decision.limit == "minConfidence")
        #expect(decision.reason == "signal confidence 0.20 is below the minimum 0.30")
    }

    @Test func confidentContradictionIsRefusedButWeakOneIsNot() {
        let bearish = MarketAnalysis(direction: .short, confidence: 0.7, sampleCount: 30, reason: "test")
        let refused = assess(.buy, analysis: bearish, quote: 100_000)
        #expect(!refused.approved && refused.limit == "maxContradictionConfidence")
        #expect(refused.reason == "analysis says short with confidence 0.70, at or above 0.60, against a buy")
        var unsure = bearish
        unsure.confidence = 0.5
        #expect(assess(.buy, analysis: unsure, quote: 100_000).approved)
        // A long analysis contradicts a sell the same way.
        #expect(assess(.sell, base: 1, quote: 50_000).limit == "maxContradictionConfidence")
    }

    @Test func fullInventoryHitsTheExposureLimit() {
        // base 1 · 50000 = 50000 = 50 % of capital 100000: no room left
        let decision = assess(.buy, base: 1, quote: 50_000)
        #expect(!decision.approved && decision.limit == "maxInventoryExposurePct")
        #expect(decision.reason == "exposure limit reached: holding 1 base worth 50000.00 against a cap of 50000.00 "
            + "(50.00% of capital 100000.00)")
    }

    @Test func exposureCapsTheBuy() {
        // capital 52500 + 0.95 · 50000 = 100000; room 50000 / 50000 − 0.95 = 0.05 < sized 0.1
        let decision = assess(.buy, base: 0.95, quote: 52_500)
        #expect(decision.approved && close(decision.qty, 0.05) && decision.limit == "maxInventoryExposurePct")
    }

    @Test func quoteOnHandCapsTheBuyWithFeeAllowance() {
        // capital 10000 + 50000 = 60000; sized min(30000, 60000) / 50000 = 0.6;
        // exposure room 60000 / 50000 − 1 = 0.2; cash 10000 / (50000 · 1.001) = 0.1998002
        let limits = RiskLimits(orderSizePct: 0.5, maxInventoryExposurePct: 1)
        let decision = assess(.buy, base: 1, quote: 10_000, limits: limits)
        #expect(decision.approved && close(decision.qty, 0.19980019980019983) && decision.limit == "quoteBalance")
        // cost + 10 bps fee fits the quote exactly
        #expect(close(decision.notionalQuote * 1.001, 10_000))
    }

    @Test func noQuoteMeansNoBuy() {
        let limits = RiskLimits(maxInventoryExposurePct: 2)
        let decision = assess(.buy, base: 0.5, quote: 0, limits: limits)
        #expect(!decision.approved && decision.limit == "quoteBalance")
        #expect(decision.reason == "no quote to buy with: account holds 0.00 quote")
    }

    @Test func spotSellNeedsBaseAndIsCappedByIt() {
        let neutral = MarketAnalysis(direction: .flat, confidence: 0, sampleCount: 30, reason: "test")
        let none = assess(.sell, analysis: neutral, quote: 100_000)
        #expect(!none.approved && none.limit == "baseBalance" && none.reason == "no base to sell: account holds 0 base")
        // capital 98000 + 0.04 · 50000 = 100000; sized 0.1 > 0.04 held
        let capped = assess(.sell, analysis: neutral, base: 0.04, quote: 98_000)
        #expect(capped.approved && capped.qty == 0.04 && capped.limit == "baseBalance")
        // capital 100000, sized 0.1 < 1 held
        let sized = assess(.sell, analysis: neutral, base: 1, quote: 50_000)
        #expect(sized.approved && close(sized.qty, 0.1) && sized.limit == nil)
    }

    @Test func shortSellsStayWithinTheExposureLimit() {
        let neutral = MarketAnalysis(direction: .flat, confidence: 0, sampleCount: 30, reason: "test")
        #expect(close(assess(.sell, analysis: neutral, quote: 100_000, allowShort: true).qty, 0.1))
        // capital 147500 − 0.95 · 50000 = 100000; short room −0.95 + 1 = 0.05
        let capped = assess(.sell, analysis: neutral, base: -0.95, quote: 147_500, allowShort: true)
        #expect(capped.approved && close(capped.qty, 0.05) && capped.limit == "maxInventoryExposurePct")
    }

    @Test func badInputsAreRefusedNotTrapped() {
        let nanPrice = RiskAssessor().assess(
            side: .buy, signalConfidence: 0.9, analysis: bullish, price: .nan,
            position: holding(quote: 1_000), allowShort: false)
        #expect(!nanPrice.approved && nanPrice.limit == "price")
        #expect(assess(.buy, confidence: .nan, quote: 1_000).limit == "minConfidence")
        #expect(assess(.buy, quote: 0).limit == "capital")
        #expect(assess(.buy, quote: 1_000, limits: RiskLimits(orderSizePct: .nan)).limit == "orderSizePct")
    }
}
